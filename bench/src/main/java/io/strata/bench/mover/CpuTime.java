package io.strata.bench.mover;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU seconds of this JVM and of its finished child processes (rclone), from {@code
 * /proc/self/stat} on Linux; the children's share is unknown (-1) elsewhere.
 *
 * @param selfNanos CPU time of this JVM: the S3 pools, and the mover when it runs
 * @param poolNanos CPU time of the pools' server threads (S3Proxy's Jetty threads) among it
 * @param childNanos CPU time of waited-for child processes, or -1 when unknown
 */
record CpuTime(long selfNanos, long poolNanos, long childNanos) {

  /** Linux reports {@code /proc} times in USER_HZ, 100 per second on every architecture it runs. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  static CpuTime now() {
    long self =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    long ticks = childTicks();
    return new CpuTime(self, poolThreadNanos(), ticks < 0 ? -1 : ticks * NANOS_PER_TICK);
  }

  /** CPU time of the live threads that serve the pools, named by S3Proxy "S3Proxy-Jetty-...". */
  private static long poolThreadNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("S3Proxy")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
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

  CpuTime minus(CpuTime before) {
    return new CpuTime(
        selfNanos - before.selfNanos,
        poolNanos - before.poolNanos,
        childNanos < 0 || before.childNanos < 0 ? -1 : childNanos - before.childNanos);
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
