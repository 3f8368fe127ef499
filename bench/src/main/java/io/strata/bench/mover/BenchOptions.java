package io.strata.bench.mover;

import java.util.List;

/**
 * Flags of {@link MoverBench}.
 *
 * @param small number of small objects (default 2,000)
 * @param smallKib size of each small object in KiB (default 512)
 * @param large number of large objects (default 8)
 * @param largeMib size of each large object in MiB (default 256)
 * @param transfers concurrent transfers for Strata and rclone (default 16)
 * @param partMib multipart part size of the Strata mover in MiB (default 16)
 * @param rclone whether to run rclone when it is on the PATH (default true)
 * @param warmup rounds run first and left out of the figures, or {@link #UNTIL_SETTLED} (the
 *     default, {@code --warmup auto}): as many as it takes the JIT to settle, at most {@link
 *     #MAX_WARMUP}. The pools and the mover share this JVM, whose JIT keeps compiling for ten
 *     thousand objects and more, as it has long stopped doing in an agent that has been moving data
 *     for hours
 * @param rounds measured rounds (default 3); each round copies both sets with each tool into
 *     emptied targets, the order of the tools alternating from round to round
 * @param namedKeys 0 (the default) for Strata to copy each set as one task over its key range; else
 *     the small set is copied as the controller asks for it: tasks that name this many keys each
 *     (the controller names 200), {@link MoverBench#TASKS_AT_ONCE} at a time
 */
record BenchOptions(
    int small,
    int smallKib,
    int large,
    int largeMib,
    int transfers,
    int partMib,
    boolean rclone,
    int warmup,
    int rounds,
    int namedKeys) {

  /** {@code warmup} for warm-up rounds until the JIT has settled. */
  static final int UNTIL_SETTLED = -1;

  /** The most warm-up rounds {@code --warmup auto} runs. */
  static final int MAX_WARMUP = 12;

  long smallBytes() {
    return (long) smallKib * 1024;
  }

  long largeBytes() {
    return (long) largeMib * 1024 * 1024;
  }

  static BenchOptions parse(List<String> args) {
    int small = 2000;
    int smallKib = 512;
    int large = 8;
    int largeMib = 256;
    int transfers = 16;
    int partMib = 16;
    boolean rclone = true;
    int warmup = UNTIL_SETTLED;
    int rounds = 3;
    int namedKeys = 0;
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      if (flag.equals("--no-rclone")) {
        rclone = false;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      if (flag.equals("--warmup") && args.get(i + 1).equals("auto")) {
        warmup = UNTIL_SETTLED;
        i++;
        continue;
      }
      int value = Integer.parseInt(args.get(++i));
      switch (flag) {
        case "--small" -> small = value;
        case "--small-kib" -> smallKib = value;
        case "--large" -> large = value;
        case "--large-mib" -> largeMib = value;
        case "--transfers" -> transfers = value;
        case "--part-mib" -> partMib = value;
        case "--warmup" -> warmup = value;
        case "--rounds" -> rounds = value;
        case "--named-keys" -> namedKeys = value;
        default ->
            throw new IllegalArgumentException(
                "unknown flag "
                    + flag
                    + "; known: --small --small-kib --large --large-mib --transfers --part-mib"
                    + " --warmup (auto or a number) --rounds --named-keys --no-rclone");
      }
    }
    if (warmup < 0 && warmup != UNTIL_SETTLED) {
      throw new IllegalArgumentException("--warmup must be auto or at least 0, got " + warmup);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
    }
    if (namedKeys < 0) {
      throw new IllegalArgumentException("--named-keys must be at least 0, got " + namedKeys);
    }
    return new BenchOptions(
        small, smallKib, large, largeMib, transfers, partMib, rclone, warmup, rounds, namedKeys);
  }
}
