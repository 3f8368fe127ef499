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
 * CPU time spent over an interval: by this JVM, by the pools' server threads within it, by its JIT
 * compiler and garbage collector threads, and by finished child processes (rclone). The JIT, GC and
 * child times come from {@code /proc} on Linux and are unknown (-1) elsewhere.
 *
 * @param selfNanos CPU time of this JVM: the S3 pools, and the mover when it runs
 * @param poolNanos CPU time of the pools' server threads (S3Proxy's Jetty threads) among it; a
 *     thread that ended within the interval is missing, so this is a lower bound
 * @param jitNanos CPU time of the JIT compiler threads among it (compiling the pools' code, and the
 *     mover's when it runs), or -1 when unknown
 * @param gcNanos CPU time of the garbage collector's threads among it, or -1 when unknown
 * @param childNanos CPU time of waited-for child processes, or -1 when unknown
 */
record CpuTime(long selfNanos, long poolNanos, long jitNanos, long gcNanos, long childNanos) {

  /** Linux reports {@code /proc} times in USER_HZ, 100 per second on every architecture it runs. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  /** The counters at one moment. */
  static final class Snapshot {
    private final long self;
    private final Map<Long, Long> poolThreads;
    private final long jitTicks;
    private final long gcTicks;
    private final long childTicks;

    /**
     * @param self this JVM's CPU nanoseconds
     * @param poolThreads CPU nanoseconds of each live pool thread, by thread id
     * @param jitTicks ticks of the JIT compiler threads, or -1 when unknown
     * @param gcTicks ticks of the garbage collector's threads, or -1 when unknown
     * @param childTicks ticks of waited-for child processes, or -1 when unknown
     */
    Snapshot(long self, Map<Long, Long> poolThreads, long jitTicks, long gcTicks, long childTicks) {
      this.self = self;
      this.poolThreads = poolThreads;
      this.jitTicks = jitTicks;
      this.gcTicks = gcTicks;
      this.childTicks = childTicks;
    }

    /** What was spent from {@code before} to this snapshot. */
    CpuTime since(Snapshot before) {
      long pools = 0;
      for (Map.Entry<Long, Long> thread : poolThreads.entrySet()) {
        pools += thread.getValue() - before.poolThreads.getOrDefault(thread.getKey(), 0L);
      }
      return new CpuTime(
          self - before.self,
          pools,
          ticksBetween(before.jitTicks, jitTicks),
          ticksBetween(before.gcTicks, gcTicks),
          ticksBetween(before.childTicks, childTicks));
    }

    private static long ticksBetween(long before, long after) {
      return before < 0 || after < 0 ? -1 : (after - before) * NANOS_PER_TICK;
    }
  }

  /**
   * Ticks of the JVM's own threads, which Java does not list, from {@code /proc/self/task}: the JIT
   * compilers ("C1/C2 CompilerThread") and the garbage collector ("GC Thread", "G1 ..."). Threads
   * of these kinds live as long as the JVM, except for compiler threads it adds and removes as the
   * work varies, so the JIT figure is a lower bound.
   */
  private record VmThreads(long jitTicks, long gcTicks) {

    static VmThreads read() {
      long jit = 0;
      long gc = 0;
      try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          String name;
          long ticks;
          try {
            name = Files.readString(task.resolve("comm")).strip();
            ticks = ticks(Files.readString(task.resolve("stat")), 11);
          } catch (IOException | RuntimeException e) {
            continue; // the thread ended meanwhile
          }
          if (isJit(name)) {
            jit += ticks;
          } else if (isGc(name)) {
            gc += ticks;
          }
        }
      } catch (IOException | RuntimeException e) {
        return new VmThreads(-1, -1);
      }
      return new VmThreads(jit, gc);
    }
  }

  /** Whether a JVM thread, by its {@code /proc} name (at most 15 characters), is a JIT compiler. */
  static boolean isJit(String name) {
    return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
  }

  /** Whether a JVM thread, by its {@code /proc} name, is one of the garbage collector's. */
  static boolean isGc(String name) {
    return name.startsWith("GC Thread") || name.startsWith("G1 ");
  }

  /**
   * The sum of two tick fields of a {@code /proc} stat line, at {@code index} and the next among
   * the fields after the command name (which is in parentheses and may hold spaces; the first field
   * after it is field 3, state).
   */
  static long ticks(String stat, int index) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[index]) + Long.parseLong(fields[index + 1]);
  }

  static Snapshot snapshot() {
    long self =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    VmThreads vm = VmThreads.read();
    return new Snapshot(self, poolThreads(), vm.jitTicks(), vm.gcTicks(), childTicks());
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
      return childTicks(Files.readString(Path.of("/proc/self/stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The ticks of waited-for children in a process's stat line: cutime (field 16) and cstime. */
  static long childTicks(String stat) {
    return ticks(stat, 13);
  }

  CpuTime plus(CpuTime other) {
    return new CpuTime(
        selfNanos + other.selfNanos,
        poolNanos + other.poolNanos,
        known(jitNanos, other.jitNanos),
        known(gcNanos, other.gcNanos),
        known(childNanos, other.childNanos));
  }

  private static long known(long a, long b) {
    return a < 0 || b < 0 ? -1 : a + b;
  }

  CpuTime half() {
    return new CpuTime(
        selfNanos / 2, poolNanos / 2, halfOf(jitNanos), halfOf(gcNanos), halfOf(childNanos));
  }

  private static long halfOf(long nanos) {
    return nanos < 0 ? -1 : nanos / 2;
  }

  @Override
  public String toString() {
    String here =
        String.format(Locale.ROOT, "%.1f s here (pools %.1f s", selfNanos / 1e9, poolNanos / 1e9);
    if (jitNanos >= 0 && gcNanos >= 0) {
      here += String.format(Locale.ROOT, ", jit %.1f s, gc %.1f s", jitNanos / 1e9, gcNanos / 1e9);
    }
    here += ")";
    if (childNanos <= 0) {
      return here;
    }
    return String.format(Locale.ROOT, "%s + %.1f s rclone", here, childNanos / 1e9);
  }
}
