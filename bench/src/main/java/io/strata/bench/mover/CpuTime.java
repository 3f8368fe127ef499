package io.strata.bench.mover;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time spent over an interval: by this JVM, by the pools' server threads within it, and by
 * finished child processes (rclone), the last from {@code /proc/self/stat} on Linux and unknown
 * (-1) elsewhere.
 *
 * @param selfNanos CPU time of this JVM: the S3 pools, and the mover when it runs
 * @param poolNanos CPU time of the pools' server threads (S3Proxy's Jetty threads) among it; a
 *     thread that ended within the interval is missing, so this is a lower bound
 * @param childNanos CPU time of waited-for child processes, or -1 when unknown
 */
record CpuTime(long selfNanos, long poolNanos, long childNanos) {

  /** Linux reports {@code /proc} times in USER_HZ, 100 per second on every architecture it runs. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  /** The counters at one moment. */
  static final class Snapshot {
    private final long self;
    private final Map<Long, Long> poolThreads;
    private final long childTicks;

    private Snapshot(long self, Map<Long, Long> poolThreads, long childTicks) {
      this.self = self;
      this.poolThreads = poolThreads;
      this.childTicks = childTicks;
    }

    /** What was spent from {@code before} to this snapshot. */
    CpuTime since(Snapshot before) {
      long pools = 0;
      for (Map.Entry<Long, Long> thread : poolThreads.entrySet()) {
        pools += thread.getValue() - before.poolThreads.getOrDefault(thread.getKey(), 0L);
      }
      long children =
          childTicks < 0 || before.childTicks < 0
              ? -1
              : (childTicks - before.childTicks) * NANOS_PER_TICK;
      return new CpuTime(self - before.self, pools, children);
    }
  }

  static Snapshot snapshot() {
    long self =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    return new Snapshot(self, poolThreads(), childTicks());
  }

  /** CPU time of each live thread that serves the pools, named by S3Proxy "S3Proxy-Jetty-...". */
  private static Map<Long, Long> poolThreads() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("S3Proxy")) {
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        if (nanos >= 0) {
          cpu.put(info.getThreadId(), nanos);
        }
      }
    }
    return cpu;
  }

  private static long childTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name, which is in parentheses and may hold spaces: the first is
      // field 3 (state), so cutime (16) and cstime (17) are at indexes 13 and 14.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  CpuTime plus(CpuTime other) {
    return new CpuTime(
        selfNanos + other.selfNanos,
        poolNanos + other.poolNanos,
        childNanos < 0 || other.childNanos < 0 ? -1 : childNanos + other.childNanos);
  }

  CpuTime half() {
    return new CpuTime(selfNanos / 2, poolNanos / 2, childNanos < 0 ? -1 : childNanos / 2);
  }

  @Override
  public String toString() {
    String here =
        String.format(Locale.ROOT, "%.1f s here (pools %.1f s)", selfNanos / 1e9, poolNanos / 1e9);
    if (childNanos <= 0) {
      return here;
    }
    return String.format(Locale.ROOT, "%s + %.1f s rclone", here, childNanos / 1e9);
  }
}
