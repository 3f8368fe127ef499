package io.strata.runtime;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The one background thread of a managed object (the reconciler, the agents' liveness, the audit
 * flusher, the replica agreement, a file watcher): a daemon, so that it never holds a stopping
 * process, named for thread dumps. Its owner shuts it down in {@code stop()}.
 */
public final class DaemonScheduler {
  private DaemonScheduler() {}

  /** A single-thread scheduler whose thread is a daemon called {@code name}. */
  public static ScheduledExecutorService named(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
