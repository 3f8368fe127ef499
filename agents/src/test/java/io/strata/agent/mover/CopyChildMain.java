package io.strata.agent.mover;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.TaskRunner;
import io.strata.agent.task.TaskHandle;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * A throttled copy of a whole dataset in its own JVM, for the crash test to kill. Pools come from
 * environment variables (never the command line, where keys would show in process lists); prints
 * {@code bytes <n>} lines as the copy progresses.
 */
public final class CopyChildMain {

  private CopyChildMain() {}

  public static void main(String[] args) throws Exception {
    String dataset = args[0];
    long bytesPerSecond = Long.parseLong(args[1]);
    PoolRegistry pools = PoolRegistry.of(Map.of("a", fromEnv("a"), "b", fromEnv("b")));
    MoverSettings settings = Pools.settings().withAgentBytesPerSecond(bytesPerSecond);
    try (TaskRunner runner =
        new TaskRunner(pools, settings, new PrometheusRegistry(), Clock.systemUTC())) {
      TaskHandle handle = runner.submit(Task.copy("crash", dataset, KeyRange.ALL, "a", "b", 1), 1);
      while (!handle.result().isDone()) {
        System.out.println("bytes " + handle.progress().bytesDone());
        System.out.flush();
        try {
          handle.result().get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // report again
        }
      }
      System.out.println("done " + handle.result().get().state());
    }
  }

  private static PoolEndpoint fromEnv(String id) {
    String prefix = "STRATA_POOL_" + id.toUpperCase(java.util.Locale.ROOT) + "_";
    return new PoolEndpoint(
        id,
        URI.create(System.getenv(prefix + "ENDPOINT")),
        System.getenv(prefix + "ACCESS_KEY"),
        System.getenv(prefix + "SECRET_KEY"));
  }
}
