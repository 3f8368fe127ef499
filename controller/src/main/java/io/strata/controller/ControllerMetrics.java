package io.strata.controller;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.controller.agents.AgentRegistry;
import io.strata.controller.agents.AgentState;
import io.strata.controller.agents.AgentView;
import io.strata.controller.api.FleetView;
import io.strata.controller.api.PoolView;
import io.strata.controller.leader.Leadership;
import io.strata.controller.map.ClusterMapStore;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every metric the controller exports, declared in one place. Values are read when Prometheus
 * scrapes, from the same state the API serves, so metrics and API never disagree.
 */
public final class ControllerMetrics {
  public static final String LEADER = "strata_controller_leader";
  public static final String LEADER_EPOCH = "strata_controller_leader_epoch";
  public static final String MAP_EPOCH = "strata_cluster_map_epoch";
  public static final String AGENTS = "strata_agents";
  public static final String POOLS = "strata_pools";
  public static final String POOL_CAPACITY = "strata_pool_capacity_bytes";
  public static final String POOL_USED = "strata_pool_used_bytes";
  public static final String POOL_OBJECTS = "strata_pool_objects";
  public static final String POOL_REACHABLE = "strata_pool_reachable";

  private static final String[] POOL_LABELS = {"pool", "tier", "rack", "room", "site"};

  private ControllerMetrics() {}

  /** Registers every controller metric on {@code registry}. */
  public static void register(
      PrometheusRegistry registry,
      Leadership leadership,
      ClusterMapStore maps,
      AgentRegistry agents) {
    GaugeWithCallback.builder()
        .name(LEADER)
        .help("1 when this replica is the leader, else 0")
        .callback(cb -> cb.call(leadership.isLeader() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name(LEADER_EPOCH)
        .help("Fencing epoch of this replica's leadership term; absent when it does not lead")
        .callback(
            cb -> {
              var term = leadership.term();
              if (term != null) {
                cb.call(term.epoch());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(MAP_EPOCH)
        .help("Epoch of the cluster map this replica holds")
        .callback(cb -> cb.call(maps.current().epoch()))
        .register(registry);
    GaugeWithCallback.builder()
        .name(AGENTS)
        .help("Known agents by state (up, down)")
        .labelNames("state")
        .callback(
            cb -> {
              Map<AgentState, Integer> counts = new EnumMap<>(AgentState.class);
              for (AgentState s : AgentState.values()) {
                counts.put(s, 0);
              }
              for (AgentView a : agents.list()) {
                counts.merge(a.state(), 1, Integer::sum);
              }
              counts.forEach((s, n) -> cb.call(n, s.name().toLowerCase(java.util.Locale.ROOT)));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(POOLS)
        .help("Pools in the cluster map by effective state")
        .labelNames("state")
        .callback(
            cb -> {
              Map<String, Integer> counts = new java.util.TreeMap<>();
              for (String s : new String[] {"up", "draining", "out", "down"}) {
                counts.put(s, 0);
              }
              for (var p : maps.current().pools().values()) {
                counts.merge(maps.current().effectiveState(p).label(), 1, Integer::sum);
              }
              counts.forEach((s, n) -> cb.call(n, s));
            })
        .register(registry);
    poolGauge(
        registry,
        maps,
        agents,
        POOL_CAPACITY,
        "Declared capacity of each pool",
        p -> p.capacityBytes());
    poolGauge(
        registry,
        maps,
        agents,
        POOL_USED,
        "Bytes counted on each pool by its agents",
        p -> p.usedBytes());
    poolGauge(
        registry,
        maps,
        agents,
        POOL_OBJECTS,
        "Objects counted on each pool by its agents",
        p -> p.objects());
    GaugeWithCallback.builder()
        .name(POOL_REACHABLE)
        .help("1 when an up agent reached the pool at its last census, 0 when it failed")
        .labelNames(POOL_LABELS)
        .callback(
            cb -> {
              for (PoolView p : FleetView.pools(maps.current(), agents)) {
                if (p.reachable() != null) {
                  cb.call(p.reachable() ? 1 : 0, labels(p));
                }
              }
            })
        .register(registry);
  }

  private static void poolGauge(
      PrometheusRegistry registry,
      ClusterMapStore maps,
      AgentRegistry agents,
      String name,
      String help,
      java.util.function.ToDoubleFunction<PoolView> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(POOL_LABELS)
        .callback(
            cb -> {
              for (PoolView p : FleetView.pools(maps.current(), agents)) {
                double v = value.applyAsDouble(p);
                if (v >= 0) {
                  cb.call(v, labels(p));
                }
              }
            })
        .register(registry);
  }

  private static String[] labels(PoolView p) {
    return new String[] {p.id(), p.tier(), nz(p.rack()), nz(p.room()), nz(p.site())};
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
