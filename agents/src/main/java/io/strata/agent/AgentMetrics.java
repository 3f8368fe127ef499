package io.strata.agent;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Every metric the agent process exports, declared in one place. Registered on a registry owned by
 * one agent, so that several agents can share a JVM (the demo) without colliding. The JVM and
 * process metrics ({@code jvm_*}, {@code process_*}) are registered with them.
 *
 * <p>The names are documented, with type, labels and unit, in {@code dashboards/README.md}.
 */
public final class AgentMetrics {
  public static final String HEARTBEATS = "strata_agent_heartbeats";
  public static final String LAST_HEARTBEAT = "strata_agent_last_heartbeat_timestamp_seconds";
  public static final String MAP_EPOCH = "strata_agent_cluster_map_epoch";
  public static final String DATA_PATH_CAPACITY = "strata_agent_data_path_capacity_bytes";
  public static final String DATA_PATH_USED = "strata_agent_data_path_used_bytes";
  public static final String POOL_UP = "strata_agent_pool_up";
  public static final String POOL_USED = "strata_agent_pool_used_bytes";
  public static final String POOL_OBJECTS = "strata_agent_pool_objects";
  public static final String INFO = "strata_agent_info";
  public static final String WAKE_UPS = "strata_agent_wake_ups_total";

  final Counter heartbeats;
  final Gauge lastHeartbeat;
  final Gauge mapEpoch;
  final Gauge dataPathCapacity;
  final Gauge dataPathUsed;
  final Gauge poolUp;
  final Gauge poolUsed;
  final Gauge poolObjects;
  final Info info;
  final Counter wakeUps;

  public AgentMetrics(PrometheusRegistry registry) {
    heartbeats =
        Counter.builder()
            .name(HEARTBEATS)
            .help("Heartbeats sent to the controller, by outcome (ok, failed)")
            .labelNames("outcome")
            .register(registry);
    lastHeartbeat =
        Gauge.builder()
            .name(LAST_HEARTBEAT)
            .help("When the controller last accepted a heartbeat (Unix seconds)")
            .register(registry);
    mapEpoch =
        Gauge.builder()
            .name(MAP_EPOCH)
            .help("Cluster-map epoch the controller last gave this agent")
            .register(registry);
    dataPathCapacity =
        Gauge.builder()
            .name(DATA_PATH_CAPACITY)
            .help("Size of the file system of each data path")
            .labelNames("path")
            .register(registry);
    dataPathUsed =
        Gauge.builder()
            .name(DATA_PATH_USED)
            .help("Bytes used on the file system of each data path")
            .labelNames("path")
            .register(registry);
    poolUp =
        Gauge.builder()
            .name(POOL_UP)
            .help("1 when the last request to the pool succeeded, else 0")
            .labelNames("pool")
            .register(registry);
    poolUsed =
        Gauge.builder()
            .name(POOL_USED)
            .help("Bytes in Strata's datasets on the pool at the last census")
            .labelNames("pool")
            .register(registry);
    poolObjects =
        Gauge.builder()
            .name(POOL_OBJECTS)
            .help("Objects in Strata's datasets on the pool at the last census")
            .labelNames("pool")
            .register(registry);
    info =
        Info.builder()
            .name(INFO)
            .help("Always 1: the agent's id, node and version, to join its other series with")
            .labelNames("agent", "node", "version")
            .register(registry);
    wakeUps =
        Counter.builder()
            .name(WAKE_UPS)
            .help(
                "Waits for work the controller answered with work queued: each one a heartbeat sent early")
            .register(registry);
    JvmMetrics.builder().register(registry);
  }
}
