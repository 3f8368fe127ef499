package io.strata.agent.mover;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.TaskRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Test wiring: local pools with one dataset bucket each, and runners over them. */
final class Pools implements AutoCloseable {

  static final String DATASET = "fz-h03-imaging";

  final Map<String, LocalS3Pool> byId = new HashMap<>();

  /** The metrics registry of the runner created last. */
  PrometheusRegistry registry = new PrometheusRegistry();

  Pools(Path dir, String... ids) throws Exception {
    for (String id : ids) {
      LocalS3Pool pool = LocalS3Pool.start(id, dir.resolve(id));
      pool.createBucket(DATASET);
      byId.put(id, pool);
    }
  }

  LocalS3Pool get(String id) {
    return byId.get(id);
  }

  PoolRegistry registry() {
    Map<String, PoolEndpoint> endpoints = new HashMap<>();
    byId.forEach((id, pool) -> endpoints.put(id, pool.endpoint()));
    return PoolRegistry.of(endpoints);
  }

  /** Fast retries so that tests of transient errors stay short. */
  static MoverSettings settings() {
    return MoverSettings.defaults()
        .withConcurrentTransfers(4)
        .withPartSize(5L * 1024 * 1024)
        .withRetry(
            new RetryPolicy(5, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50)));
  }

  TaskRunner runner(Clock clock) {
    return runner(registry(), settings(), clock);
  }

  /**
   * A runner that reaches the pools of {@code source} and {@code target} through those endpoints,
   * e.g. through a fault-injecting proxy.
   */
  TaskRunner runnerBetween(PoolEndpoint source, PoolEndpoint target) {
    return runner(
        PoolRegistry.of(Map.of(source.poolId(), source, target.poolId(), target)),
        settings(),
        Clock.systemUTC());
  }

  /** A runner with its own metrics registry, as every agent has. */
  TaskRunner runner(PoolRegistry pools, MoverSettings settings, Clock clock) {
    registry = new PrometheusRegistry();
    return new TaskRunner(pools, settings, registry, clock);
  }

  @Override
  public void close() throws Exception {
    for (LocalS3Pool pool : byId.values()) {
      pool.close();
    }
  }
}
