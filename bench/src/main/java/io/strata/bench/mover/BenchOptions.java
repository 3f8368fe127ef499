package io.strata.bench.mover;

import io.strata.bench.BenchArgs;

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

  static final String USAGE =
      "strata bench mover [--small N] [--small-kib N] [--large N] [--large-mib N]"
          + " [--transfers N] [--part-mib N] [--warmup auto|N] [--rounds N] [--named-keys N]"
          + " [--no-rclone]";

  /**
   * The options of {@code args}.
   *
   * @throws BenchArgs.BadArgs naming the option that is unknown, lacks its value or is out of range
   */
  static BenchOptions parse(String[] args) {
    BenchArgs a = BenchArgs.parse(args, USAGE);
    int warmup =
        a.text("warmup", "auto").equals("auto") ? UNTIL_SETTLED : a.integer("warmup", 0, 0);
    return new BenchOptions(
        a.integer("small", 2000, 1),
        a.integer("small-kib", 512, 1),
        a.integer("large", 8, 1),
        a.integer("large-mib", 256, 1),
        a.integer("transfers", 16, 1),
        a.integer("part-mib", 16, 5),
        !a.has("no-rclone"),
        warmup,
        a.integer("rounds", 3, 1),
        a.integer("named-keys", 0, 0));
  }
}
