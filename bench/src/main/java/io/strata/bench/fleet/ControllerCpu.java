package io.strata.bench.fleet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the controller's threads in this JVM (Jetty's request threads, the reconciler,
 * Curator's and ZooKeeper's, the audit trail's...), told from the simulator's by name: every
 * simulator thread is named {@code sim-*} (and the JDK HTTP client's selector {@code HttpClient-*}
 * serves only the simulated agents). The JVM's own compiler and collector threads are not Java
 * threads and count for neither. A thread that ends between two samples loses its last slice.
 */
final class ControllerCpu {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> controllerAt = new HashMap<>();
  private final Map<Long, Long> simAt = new HashMap<>();

  ControllerCpu() {
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
  }

  /** Starts a window. */
  void mark() {
    controllerAt.clear();
    simAt.clear();
    sample(controllerAt, simAt);
  }

  /** CPU seconds since {@link #mark}: {@code [controller, simulator]}. */
  double[] since() {
    Map<Long, Long> c = new HashMap<>();
    Map<Long, Long> s = new HashMap<>();
    sample(c, s);
    return new double[] {delta(c, controllerAt), delta(s, simAt)};
  }

  private static double delta(Map<Long, Long> now, Map<Long, Long> then) {
    long sum = 0;
    for (var e : now.entrySet()) {
      sum += e.getValue() - then.getOrDefault(e.getKey(), 0L);
    }
    return sum / 1e9;
  }

  private void sample(Map<Long, Long> controller, Map<Long, Long> sim) {
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(ids[i]);
      if (cpu < 0) {
        continue;
      }
      String name = infos[i].getThreadName();
      boolean simulator =
          name.startsWith(AgentDriver.THREAD_PREFIX)
              || name.startsWith("HttpClient-")
              || name.equals("main");
      (simulator ? sim : controller).put(ids[i], cpu);
    }
  }
}
