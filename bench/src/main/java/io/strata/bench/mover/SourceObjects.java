package io.strata.bench.mover;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The objects the benchmark copies: their keys, and their pseudo-random contents loaded into the
 * source pool. Contents are derived from each object's number, so every run loads the same bytes.
 */
final class SourceObjects {

  private SourceObjects() {}

  static String smallKey(int n) {
    return String.format("small/%06d.dcm", n);
  }

  static void load(BenchPool source, BenchOptions options) throws Exception {
    long start = System.nanoTime();
    ExecutorService loaders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> pending = new ArrayList<>();
      for (int i = 0; i < options.small(); i++) {
        int n = i;
        pending.add(
            loaders.submit(
                () -> {
                  source.put(MoverBench.BUCKET, smallKey(n), random(options.smallBytes(), n));
                  return null;
                }));
      }
      for (int i = 0; i < options.large(); i++) {
        int n = i;
        pending.add(
            loaders.submit(
                () -> {
                  source.put(
                      MoverBench.BUCKET,
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
}
