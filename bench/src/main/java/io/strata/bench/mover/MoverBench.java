package io.strata.bench.mover;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.mover.MoverSettings;
import io.strata.agent.mover.PoolRegistry;
import io.strata.agent.task.KeyRange;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.Task;
import io.strata.agent.task.TaskResult;
import io.strata.agent.task.TaskRunner;
import io.strata.agent.task.TaskState;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies small and large objects between local S3Proxy pools with the Strata mover and, when it is
 * installed, with {@code rclone copy}, and prints objects/s and MB/s for both. Sources carry no
 * Strata SHA-256, as objects written by hospital systems do, so the mover must hash them.
 *
 * <p>The pools run in this JVM and share the machine with both tools, so the figures are those of a
 * whole node. Warm-up rounds come first, left out of the figures, until the JIT compiler has
 * settled for both tools (an agent is a long-running process whose JIT has long settled) or for
 * {@code --warmup N} rounds; then {@code --rounds} measured rounds. Each round copies both sets
 * with each tool into emptied target buckets, the tool that goes first alternating, and the figures
 * are the medians of the measured rounds. Every run also prints the CPU time it took: this JVM's
 * (the pools, plus the mover for Strata), its JIT compiler's and garbage collector's share of that,
 * and rclone's own.
 *
 * <p>Run: {@code ./strata bench mover [--small 2000] [--small-kib 512] [--large 8] [--large-mib
 * 256] [--transfers 16] [--part-mib 16] [--warmup auto|N] [--rounds 3] [--named-keys N]
 * [--no-rclone]}
 */
public final class MoverBench {

  private static final String BUCKET = "bench";
  private static final double MB = 1_000_000.0;

  /** Tasks an agent runs at once with {@code --named-keys}: the controller's default lease. */
  static final int TASKS_AT_ONCE = 4;

  private MoverBench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(Arrays.asList(args));
    Path dir = Files.createTempDirectory("strata-mover-bench");
    try {
      run(options, dir);
    } finally {
      deleteRecursively(dir);
    }
  }

  private static void run(BenchOptions options, Path dir) throws Exception {
    Optional<Path> rcloneBinary = options.rclone() ? Rclone.find() : Optional.empty();
    if (rcloneBinary.isEmpty()) {
      System.out.println("rclone: not on PATH (or --no-rclone); only Strata is measured");
    }
    List<Figures> strataRounds = new ArrayList<>();
    List<Figures> rcloneRounds = new ArrayList<>();
    try (BenchPool source = new BenchPool("src", dir.resolve("src"));
        BenchPool strataTarget = new BenchPool("strata", dir.resolve("strata"));
        BenchPool rcloneTarget = new BenchPool("rclone", dir.resolve("rclone"))) {
      for (BenchPool pool : List.of(source, strataTarget, rcloneTarget)) {
        pool.createBucket(BUCKET);
      }
      load(source, options);
      Optional<Rclone> rclone =
          rcloneBinary.isPresent()
              ? Optional.of(
                  Rclone.configure(rcloneBinary.get(), dir, List.of(source, rcloneTarget)))
              : Optional.empty();
      Setup setup = new Setup(options, dir, source, strataTarget, rcloneTarget, rclone);
      for (int warmup = 1; warmup <= maxWarmup(options); warmup++) {
        Round round = setup.round("warm-up " + warmup, warmup);
        if (options.warmup() == BenchOptions.UNTIL_SETTLED && round.jitSettled()) {
          System.out.println("warm-up: the JIT has settled after " + warmup + " rounds");
          break;
        }
      }
      for (int n = 1; n <= options.rounds(); n++) {
        Round round = setup.round("round " + n, n);
        strataRounds.add(round.strata());
        if (round.rclone() != null) {
          rcloneRounds.add(round.rclone());
        }
      }
    }
    Figures strata = Figures.median(strataRounds);
    Figures other = rcloneRounds.isEmpty() ? null : Figures.median(rcloneRounds);
    System.out.println("strata (median of " + strataRounds.size() + "): " + strata.describe());
    if (other != null) {
      System.out.println("rclone (median of " + rcloneRounds.size() + "): " + other.describe());
    }
    System.out.println(lastLine(strata, other));
  }

  /** One round's figures: Strata's, and rclone's when it ran. */
  private record Round(Figures strata, Figures rclone) {

    /**
     * Whether the JIT took under {@value #SETTLED_JIT_SHARE} of this JVM's CPU in every
     * small-object run of this round; false when the JIT's time is unknown.
     */
    boolean jitSettled() {
      return settled(strata) && (rclone == null || settled(rclone));
    }

    private static final double SETTLED_JIT_SHARE = 0.02;

    private static boolean settled(Figures figures) {
      CpuTime cpu = figures.small().cpu();
      return cpu.jitNanos() >= 0 && cpu.jitNanos() <= SETTLED_JIT_SHARE * cpu.selfNanos();
    }
  }

  private static int maxWarmup(BenchOptions options) {
    return options.warmup() == BenchOptions.UNTIL_SETTLED
        ? BenchOptions.MAX_WARMUP
        : options.warmup();
  }

  /** What every round works with. */
  private record Setup(
      BenchOptions options,
      Path dir,
      BenchPool source,
      BenchPool strataTarget,
      BenchPool rcloneTarget,
      Optional<Rclone> rclone) {

    /**
     * Copies both sets with each tool into emptied targets; the tool that goes first alternates
     * with {@code n}.
     */
    Round round(String label, int n) throws Exception {
      strataTarget.empty(BUCKET);
      rcloneTarget.empty(BUCKET);
      boolean strataFirst = n % 2 == 0;
      Figures strata = null;
      Figures other = null;
      for (int turn = 0; turn < 2; turn++) {
        if ((turn == 0) == strataFirst) {
          strata = strata(options, source, strataTarget);
          System.out.println(label + " strata: " + strata.describe());
        } else if (rclone.isPresent()) {
          other = MoverBench.rclone(options, rclone.get(), dir);
          System.out.println(label + " rclone: " + other.describe());
        }
      }
      return new Round(strata, other);
    }
  }

  private static Figures strata(BenchOptions options, BenchPool source, BenchPool target) {
    MoverSettings settings =
        MoverSettings.defaults()
            .withConcurrentTransfers(options.transfers())
            .withPartSize((long) options.partMib() * 1024 * 1024);
    PoolRegistry registry =
        PoolRegistry.of(Map.of("src", source.poolEndpoint(), "strata", target.poolEndpoint()));
    try (TaskRunner runner =
        new TaskRunner(registry, settings, new PrometheusRegistry(), Clock.systemUTC())) {
      Run small =
          Run.timed(
              () -> {
                if (options.namedKeys() > 0) {
                  copyNamed(runner, options.small(), options.namedKeys());
                } else {
                  copy(runner, "small", options.small());
                }
              });
      Run large = Run.timed(() -> copy(runner, "large", options.large()));
      return new Figures(options, small, large);
    }
  }

  private static Figures rclone(BenchOptions options, Rclone tool, Path dir) {
    Run small =
        Run.timed(
            () ->
                tool.copy(
                    "src:" + BUCKET + "/small",
                    "rclone:" + BUCKET + "/small",
                    options.transfers(),
                    dir.resolve("rclone-small.log")));
    Run large =
        Run.timed(
            () ->
                tool.copy(
                    "src:" + BUCKET + "/large",
                    "rclone:" + BUCKET + "/large",
                    options.transfers(),
                    dir.resolve("rclone-large.log")));
    return new Figures(options, small, large);
  }

  private static void copy(TaskRunner runner, String prefix, int expected) {
    TaskResult result = runner.run(copyTask("bench-" + prefix, prefix), 1);
    if (result.state() != TaskState.SUCCEEDED || result.count(KeyStatus.COPIED) != expected) {
      throw new IllegalStateException(
          "Strata copy of "
              + prefix
              + " did not copy "
              + expected
              + " objects: "
              + result.failure());
    }
  }

  /**
   * Copies the small set as the controller has it copied: by tasks that name {@code perTask} keys
   * each, {@link #TASKS_AT_ONCE} running at a time on the agent.
   */
  private static void copyNamed(TaskRunner runner, int count, int perTask) throws Exception {
    List<String> keys = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      keys.add(smallKey(n));
    }
    ExecutorService leased = Executors.newFixedThreadPool(TASKS_AT_ONCE);
    try {
      List<Future<TaskResult>> results = new ArrayList<>();
      for (int from = 0; from < count; from += perTask) {
        Task task =
            copyTask("bench-small-" + from, "small")
                .withKeys(keys.subList(from, Math.min(count, from + perTask)));
        results.add(leased.submit(() -> runner.run(task, 1)));
      }
      long copied = 0;
      for (Future<TaskResult> future : results) {
        TaskResult result = future.get();
        if (result.state() != TaskState.SUCCEEDED) {
          throw new IllegalStateException("Strata copy task failed: " + result.failure());
        }
        copied += result.count(KeyStatus.COPIED);
      }
      if (copied != count) {
        throw new IllegalStateException(
            "Strata copies of named keys copied " + copied + " of " + count + " objects");
      }
    } finally {
      leased.shutdownNow();
    }
  }

  private static Task copyTask(String id, String prefix) {
    return Task.copy(id, BUCKET, new KeyRange(prefix + "/", prefix + "0"), "src", "strata", 1);
  }

  private static String smallKey(int n) {
    return String.format("small/%06d.dcm", n);
  }

  static String lastLine(Figures strata, Figures rclone) {
    if (rclone == null) {
      return String.format(
          Locale.ROOT,
          "mover: small strata=%.1f rclone=n/a ratio=n/a large strata=%.1f rclone=n/a ratio=n/a",
          strata.smallObjectsPerSecond(),
          strata.largeMegabytesPerSecond());
    }
    return String.format(
        Locale.ROOT,
        "mover: small strata=%.1f rclone=%.1f ratio=%.2f large strata=%.1f rclone=%.1f ratio=%.2f",
        strata.smallObjectsPerSecond(),
        rclone.smallObjectsPerSecond(),
        strata.smallObjectsPerSecond() / rclone.smallObjectsPerSecond(),
        strata.largeMegabytesPerSecond(),
        rclone.largeMegabytesPerSecond(),
        strata.largeMegabytesPerSecond() / rclone.largeMegabytesPerSecond());
  }

  /** Wall time and CPU time of one copy. */
  record Run(long nanos, CpuTime cpu) {

    interface Copy {
      void run() throws Exception;
    }

    static Run timed(Copy copy) {
      CpuTime.Snapshot before = CpuTime.snapshot();
      long start = System.nanoTime();
      try {
        copy.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      long elapsed = System.nanoTime() - start;
      return new Run(elapsed, CpuTime.snapshot().since(before));
    }
  }

  /** Timings of one tool in one round. */
  record Figures(BenchOptions options, Run small, Run large) {

    /** The run with the median small rate and the run with the median large rate. */
    static Figures median(List<Figures> rounds) {
      List<Figures> bySmall = new ArrayList<>(rounds);
      bySmall.sort(Comparator.comparingLong(f -> f.small().nanos()));
      List<Figures> byLarge = new ArrayList<>(rounds);
      byLarge.sort(Comparator.comparingLong(f -> f.large().nanos()));
      Figures first = rounds.get(0);
      return new Figures(
          first.options(),
          medianRun(bySmall.stream().map(Figures::small).toList()),
          medianRun(byLarge.stream().map(Figures::large).toList()));
    }

    private static Run medianRun(List<Run> sorted) {
      int n = sorted.size();
      if (n % 2 == 1) {
        return sorted.get(n / 2);
      }
      Run a = sorted.get(n / 2 - 1);
      Run b = sorted.get(n / 2);
      return new Run((a.nanos() + b.nanos()) / 2, a.cpu().plus(b.cpu()).half());
    }

    double smallObjectsPerSecond() {
      return options.small() / (small.nanos() / 1e9);
    }

    double largeMegabytesPerSecond() {
      return options.large() * options.largeBytes() / MB / (large.nanos() / 1e9);
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%d x %d KiB in %.2f s = %.1f objects/s (%.1f MB/s, cpu %s);"
              + " %d x %d MiB in %.2f s = %.1f MB/s (cpu %s)",
          options.small(),
          options.smallKib(),
          small.nanos() / 1e9,
          smallObjectsPerSecond(),
          smallObjectsPerSecond() * options.smallBytes() / MB,
          small.cpu(),
          options.large(),
          options.largeMib(),
          large.nanos() / 1e9,
          largeMegabytesPerSecond(),
          large.cpu());
    }
  }

  private static void load(BenchPool source, BenchOptions options) throws Exception {
    long start = System.nanoTime();
    ExecutorService loaders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> pending = new ArrayList<>();
      for (int i = 0; i < options.small(); i++) {
        int n = i;
        pending.add(
            loaders.submit(
                () -> {
                  source.put(BUCKET, smallKey(n), random(options.smallBytes(), n));
                  return null;
                }));
      }
      for (int i = 0; i < options.large(); i++) {
        int n = i;
        pending.add(
            loaders.submit(
                () -> {
                  source.put(
                      BUCKET,
                      String.format("large/%03d.dcm", n),
                      new RandomStream(options.largeBytes(), 1_000_000L + n),
                      options.largeBytes());
                  return null;
                }));
      }
      for (Future<?> f : pending) {
        f.get();
      }
    } finally {
      loaders.shutdownNow();
    }
    System.out.printf(
        Locale.ROOT,
        "loaded %d x %d KiB and %d x %d MiB in %.1f s%n",
        options.small(),
        options.smallKib(),
        options.large(),
        options.largeMib(),
        (System.nanoTime() - start) / 1e9);
  }

  private static byte[] random(long size, long seed) {
    byte[] bytes = new byte[(int) size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i + 8 <= bytes.length; i += 8) {
      long v = random.nextLong();
      for (int b = 0; b < 8; b++) {
        bytes[i + b] = (byte) (v >>> (8 * b));
      }
    }
    return bytes;
  }

  /** Pseudo-random content of a given size, generated as it is read. */
  private static final class RandomStream extends InputStream {
    private final SplittableRandom random;
    private long left;

    RandomStream(long size, long seed) {
      this.left = size;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      left -= n;
      return n;
    }
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }
}
