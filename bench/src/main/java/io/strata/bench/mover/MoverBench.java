package io.strata.bench.mover;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.TaskRunner;
import io.strata.agent.mover.MoverSettings;
import io.strata.agent.mover.PoolRegistry;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  static final String BUCKET = "bench";

  /** Tasks an agent runs at once with {@code --named-keys}: the controller's default lease. */
  static final int TASKS_AT_ONCE = 4;

  private MoverBench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
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
      System.out.println(
          "rclone: not on PATH (Debian package rclone: sudo apt-get install rclone) or"
              + " --no-rclone given; only Strata is measured");
    }
    List<Figures> strataRounds = new ArrayList<>();
    List<Figures> rcloneRounds = new ArrayList<>();
    try (BenchPool source = new BenchPool("src", dir.resolve("src"));
        BenchPool strataTarget = new BenchPool("strata", dir.resolve("strata"));
        BenchPool rcloneTarget = new BenchPool("rclone", dir.resolve("rclone"))) {
      for (BenchPool pool : List.of(source, strataTarget, rcloneTarget)) {
        pool.createBucket(BUCKET);
      }
      SourceObjects.load(source, options);
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
    System.out.println(Figures.lastLine(strataRounds, rcloneRounds));
  }

  /** One round's figures: Strata's, and rclone's when it ran. */
  private record Round(Figures strata, Figures rclone) {

    /**
     * Whether the JIT took at most {@value MoverBench#SETTLED_JIT_SHARE} of this JVM's CPU in every
     * small-object run of this round; false when the JIT's time is unknown.
     */
    boolean jitSettled() {
      return MoverBench.jitSettled(strata.small().cpu())
          && (rclone == null || MoverBench.jitSettled(rclone.small().cpu()));
    }
  }

  private static final double SETTLED_JIT_SHARE = 0.02;

  /**
   * Whether the JIT took at most {@value #SETTLED_JIT_SHARE} of this JVM's CPU in a run; false when
   * its time is unknown.
   */
  static boolean jitSettled(CpuTime cpu) {
    return cpu.jitNanos() >= 0 && cpu.jitNanos() <= SETTLED_JIT_SHARE * cpu.selfNanos();
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
    // What a user who needs proof runs next: every small object read back from both sides.
    Run smallCheck =
        Run.timed(
            () ->
                tool.checkDownload(
                    "src:" + BUCKET + "/small",
                    "rclone:" + BUCKET + "/small",
                    options.transfers(),
                    dir.resolve("rclone-small-check.log")));
    Run large =
        Run.timed(
            () ->
                tool.copy(
                    "src:" + BUCKET + "/large",
                    "rclone:" + BUCKET + "/large",
                    options.transfers(),
                    dir.resolve("rclone-large.log")));
    return new Figures(options, small, large, smallCheck);
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
      keys.add(SourceObjects.smallKey(n));
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

  private static void deleteRecursively(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }
}
