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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies small and large objects between two local S3Proxy pools with the Strata mover and, when it
 * is installed, with {@code rclone copy}, and prints objects/s and MB/s for both. Sources carry no
 * Strata SHA-256, as objects written by hospital systems do, so the mover must hash them.
 *
 * <p>Run: {@code java -cp 'bench/target/strata-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*'
 * io.strata.bench.mover.MoverBench [--small 2000] [--small-kib 512] [--large 8] [--large-mib 256]
 * [--transfers 16] [--part-mib 16] [--no-rclone]}
 */
public final class MoverBench {

  private static final String BUCKET = "bench";
  private static final double MB = 1_000_000.0;

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
    Optional<Path> rclone = options.rclone() ? Rclone.find() : Optional.empty();
    List<BenchPool> pools = new ArrayList<>();
    try {
      BenchPool source = new BenchPool("src", dir.resolve("src"));
      BenchPool strataTarget = new BenchPool("strata", dir.resolve("strata"));
      BenchPool rcloneTarget = new BenchPool("rclone", dir.resolve("rclone"));
      pools.addAll(List.of(source, strataTarget, rcloneTarget));
      for (BenchPool pool : pools) {
        pool.createBucket(BUCKET);
      }
      long smallBytes = (long) options.smallKib() * 1024;
      long largeBytes = (long) options.largeMib() * 1024 * 1024;
      load(source, options, smallBytes, largeBytes);

      Figures strata = strata(options, source, strataTarget, smallBytes, largeBytes);
      Figures other = null;
      if (rclone.isPresent()) {
        Rclone tool = Rclone.configure(rclone.get(), dir, List.of(source, rcloneTarget));
        long smallNanos =
            tool.copy(
                "src:" + BUCKET + "/small",
                "rclone:" + BUCKET + "/small",
                options.transfers(),
                dir.resolve("rclone-small.log"));
        long largeNanos =
            tool.copy(
                "src:" + BUCKET + "/large",
                "rclone:" + BUCKET + "/large",
                options.transfers(),
                dir.resolve("rclone-large.log"));
        other = new Figures(options, smallBytes, largeBytes, smallNanos, largeNanos);
        System.out.println("rclone: " + other.describe());
      } else {
        System.out.println("rclone: not on PATH (or --no-rclone); only Strata was measured");
      }
      System.out.println(lastLine(strata, other));
    } finally {
      for (BenchPool pool : pools) {
        pool.close();
      }
    }
  }

  private static Figures strata(
      BenchOptions options, BenchPool source, BenchPool target, long smallBytes, long largeBytes) {
    MoverSettings settings =
        MoverSettings.defaults()
            .withConcurrentTransfers(options.transfers())
            .withPartSize((long) options.partMib() * 1024 * 1024);
    PoolRegistry registry =
        PoolRegistry.of(Map.of("src", source.poolEndpoint(), "strata", target.poolEndpoint()));
    try (TaskRunner runner =
        new TaskRunner(registry, settings, new PrometheusRegistry(), Clock.systemUTC())) {
      long smallNanos = timedCopy(runner, "small", options.small());
      long largeNanos = timedCopy(runner, "large", options.large());
      Figures figures = new Figures(options, smallBytes, largeBytes, smallNanos, largeNanos);
      System.out.println("strata: " + figures.describe());
      return figures;
    }
  }

  private static long timedCopy(TaskRunner runner, String prefix, int expected) {
    Task task =
        Task.copy(
            "bench-" + prefix,
            BUCKET,
            new KeyRange(prefix + "/", prefix + "0"),
            "src",
            "strata",
            1);
    long start = System.nanoTime();
    TaskResult result = runner.run(task, 1);
    long elapsed = System.nanoTime() - start;
    if (result.state() != TaskState.SUCCEEDED
        || result.keysWith(KeyStatus.COPIED).size() != expected) {
      throw new IllegalStateException(
          "Strata copy of "
              + prefix
              + " did not copy "
              + expected
              + " objects: "
              + result.failure());
    }
    return elapsed;
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

  /** Timings of one tool. */
  record Figures(
      BenchOptions options, long smallBytes, long largeBytes, long smallNanos, long largeNanos) {

    double smallObjectsPerSecond() {
      return options.small() / (smallNanos / 1e9);
    }

    double largeMegabytesPerSecond() {
      return options.large() * largeBytes / MB / (largeNanos / 1e9);
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%d x %d KiB in %.2f s = %.1f objects/s (%.1f MB/s); %d x %d MiB in %.2f s = %.1f MB/s",
          options.small(),
          options.smallKib(),
          smallNanos / 1e9,
          smallObjectsPerSecond(),
          smallObjectsPerSecond() * smallBytes / MB,
          options.large(),
          options.largeMib(),
          largeNanos / 1e9,
          largeMegabytesPerSecond());
    }
  }

  private static void load(BenchPool source, BenchOptions options, long smallBytes, long largeBytes)
      throws Exception {
    long start = System.nanoTime();
    ExecutorService loaders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> pending = new ArrayList<>();
      for (int i = 0; i < options.small(); i++) {
        int n = i;
        pending.add(
            loaders.submit(
                () -> {
                  source.put(BUCKET, String.format("small/%06d.dcm", n), random(smallBytes, n));
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
                      new RandomStream(largeBytes, 1_000_000L + n),
                      largeBytes);
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
        smallBytes / 1024,
        options.large(),
        largeBytes / 1024 / 1024,
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
