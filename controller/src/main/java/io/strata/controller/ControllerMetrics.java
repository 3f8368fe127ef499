package io.strata.controller;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.files.PolicyFiles;
import io.strata.controller.http.FleetView;
import io.strata.controller.relay.HeartbeatRelay;
import io.strata.controller.relay.WorkSignals;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.ReplicaAgreement;
import io.strata.fleet.view.AgentState;
import io.strata.fleet.view.AgentView;
import io.strata.fleet.view.PoolView;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric the controller exports, declared in one place. Values are read when Prometheus
 * scrapes, from the same state the API serves, so metrics and API never disagree.
 *
 * <p>The names are documented, with type, labels and unit, in {@code dashboards/README.md}; the
 * dashboards and alert rules in {@code dashboards/} are checked against a live scrape of them.
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
  public static final String POOL_ENCRYPTION_UNMET = "strata_pool_encryption_unmet";
  public static final String TIER_FILL_CEILING = "strata_tier_fill_ceiling_ratio";
  public static final String AGENT_UP = "strata_agent_up";
  public static final String IDENTITY_FILES_AGREE = "strata_controller_identity_files_agree";
  public static final String POLICIES_AGREE = "strata_controller_policies_agree";
  public static final String POLICY_FILES_USABLE = "strata_controller_policy_files_usable";
  public static final String CAPACITY_SAMPLE_AGE = "strata_capacity_sample_age_seconds";
  public static final String CAPACITY_SAMPLE_INTERVAL = "strata_capacity_sample_interval_seconds";
  public static final String AUDIT_SPOOL_WRITABLE = "strata_audit_spool_writable";
  public static final String AGENT_HEARTBEAT_RECEIVED =
      "strata_agent_heartbeat_received_timestamp_seconds";
  public static final String RELAYED_HEARTBEATS = "strata_controller_relayed_heartbeats_total";
  public static final String RELAY_BATCHES = "strata_controller_relay_batches_total";
  public static final String RELAY_BOARD_READS = "strata_controller_relay_work_reads_total";
  public static final String WORK_WAITS = "strata_controller_work_waits";
  public static final String WORK_WAKES = "strata_controller_work_wakes_total";

  // ---- Reserved names: declared before the code that feeds them exists. --------------------
  // The reconciler, task queue and capacity planner register these with the name, help and
  // labels below (see Reserved); dashboards and alert rules already use them.

  /** Copy states of a shard or object, worst last; every one is exported, zeros included. */
  public static final List<String> COPY_STATES =
      List.of("ok", "misplaced", "under_replicated", "at_risk");

  /** Task types, as in the design's task list. */
  public static final List<String> TASK_TYPES =
      List.of("scan", "copy", "verify", "delete_copy", "scrub");

  /** States of a task in the queue; {@code cancelling}: leased, its agent told to stop it. */
  public static final List<String> TASK_STATES =
      List.of("queued", "leased", "failed", "cancelling");

  /** Why data moved. */
  public static final List<String> MOVE_REASONS =
      List.of("repair", "backfill", "transition", "recall", "rebalance", "drain");

  public static final Reserved SHARDS =
      new Reserved(
          "strata_shards",
          "gauge",
          "Shards by copy state (ok, misplaced, under_replicated, at_risk)",
          "state");
  public static final Reserved VERIFIED_RATIO =
      new Reserved(
          "strata_verified_within_30d_ratio",
          "gauge",
          "Share of a dataset's copies verified by content (a scrub re-read them against their"
              + " SHA-256) within 30 days, copies found wrong excepted; 1 with no copies. The times"
              + " of verification are kept across leader changes",
          "dataset");
  public static final Reserved INGEST_LAG =
      new Reserved(
          "strata_ingest_lag_seconds",
          "gauge",
          "Age of a dataset's oldest fresh upload not yet placed: seconds since it landed (its"
              + " landing copy's LastModified), by the leader's last plans; 0 when every upload is"
              + " placed",
          "dataset");
  public static final Reserved OBJECTS =
      new Reserved(
          "strata_objects",
          "gauge",
          "Objects by copy state (ok, misplaced, under_replicated, at_risk), from shard summaries",
          "copy_state");
  public static final Reserved TASKS =
      new Reserved(
          "strata_tasks", "gauge", "Tasks in the queue by type and state", "type", "state");
  public static final Reserved MOVED_BYTES =
      new Reserved(
          "strata_moved_bytes_total",
          "counter",
          "Bytes copied between pools by reason (repair, backfill, transition, rebalance, drain)",
          "reason");
  public static final Reserved MOVED_OBJECTS =
      new Reserved(
          "strata_moved_objects_total",
          "counter",
          "Objects copied between pools by reason (repair, backfill, transition, rebalance,"
              + " drain)",
          "reason");
  public static final Reserved RECONCILE_DURATION =
      new Reserved(
          "strata_reconcile_duration_seconds",
          "histogram",
          "Duration of one reconcile pass of the leader, from reading the map to queued tasks");
  public static final Reserved RECONCILE_ROUND_FAILURES =
      new Reserved(
          "strata_reconcile_round_failures_total",
          "counter",
          "Reconcile rounds of this replica that failed; the last error is on /api/v1/leader");
  public static final Reserved PLACEMENT_EPOCH =
      new Reserved(
          "strata_placement_epoch",
          "gauge",
          "Cluster-map epoch of the placement the leader last reconciled against");
  public static final Reserved SCRUB_FAILED_COPIES =
      new Reserved(
          "strata_scrub_failed_copies",
          "gauge",
          "Copies a scrub found not to match their checksum and not yet repaired");
  public static final Reserved SCRUB_PASS_SECONDS =
      new Reserved(
          "strata_scrub_pass_seconds",
          "gauge",
          "Per pool, seconds one scrub of all its copies takes at reconcile.scrubBytesPerSecond, by"
              + " the leader's scans; 0 with no cap",
          "pool");
  public static final Reserved SCRUB_DEADLINE_FEASIBLE =
      new Reserved(
          "strata_scrub_deadline_feasible",
          "gauge",
          "Per pool, 1 when its scrub budget reads all its copies within reconcile.scrubDeadline"
              + " (strata_scrub_pass_seconds at most the deadline), 0 when it cannot",
          "pool");
  public static final Reserved SCRUB_OVERDUE_COPIES =
      new Reserved(
          "strata_scrub_overdue_copies",
          "gauge",
          "Per pool, shards whose copies there were last verified by content longer ago than"
              + " reconcile.scrubDeadline",
          "pool");
  public static final Reserved TIER_FILL =
      new Reserved(
          "strata_tier_fill_ratio_max_mean",
          "gauge",
          "Per tier, the fullest pool's share of the tier's objects over its weighted share, as the"
              + " balancer last measured the desired placement; the balancer aims at 1.05 or below",
          "tier");
  public static final Reserved MOVEMENT_BUDGET =
      new Reserved(
          "strata_movement_budget_bytes_per_second",
          "gauge",
          "Byte-rate budgets the leader leases copies within: per rack and per room (every copy),"
              + " per policy (its voluntary movement)",
          "scope",
          "name");
  public static final Reserved FORECAST_SECONDS_UNTIL_FULL =
      new Reserved(
          "strata_forecast_seconds_until_full",
          "gauge",
          "Forecast time until the tier's pools at the site reach the tier's fill ceiling; +Inf"
              + " while they do not grow",
          "tier",
          "site");

  /**
   * Every name declared here ahead of its code, in declaration order; the reconciler's are fed by
   * {@code reconcile.ReconcileMetrics}, the forecast by {@code capacity.CapacityMetrics}.
   */
  public static final List<Reserved> DECLARED =
      List.of(
          SHARDS,
          OBJECTS,
          TASKS,
          MOVED_BYTES,
          MOVED_OBJECTS,
          RECONCILE_DURATION,
          RECONCILE_ROUND_FAILURES,
          PLACEMENT_EPOCH,
          SCRUB_FAILED_COPIES,
          SCRUB_PASS_SECONDS,
          SCRUB_DEADLINE_FEASIBLE,
          SCRUB_OVERDUE_COPIES,
          TIER_FILL,
          MOVEMENT_BUDGET,
          FORECAST_SECONDS_UNTIL_FULL,
          VERIFIED_RATIO,
          INGEST_LAG);

  /** The declared names no process exports yet: none, since the capacity planner's forecast. */
  public static final List<Reserved> RESERVED = List.of();

  /**
   * A metric whose name, type, help and labels are fixed here before the code that feeds it exists,
   * so that dashboards and alerts can be written against it. Register it with exactly these, e.g.
   * {@code Gauge.builder().name(r.name()).help(r.help()).labelNames(r.labelNames())}; export every
   * label value (zeros included) so that alerts see a series, not an absence.
   *
   * @param name the exported name, {@code _total} included for counters
   * @param type gauge, counter or histogram
   * @param help the help text
   * @param labels its label names
   */
  public record Reserved(String name, String type, String help, List<String> labels) {
    public Reserved(String name, String type, String help, String... labels) {
      this(name, type, help, List.of(labels));
    }

    public String[] labelNames() {
      return labels.toArray(String[]::new);
    }
  }

  // ---- End of reserved names. ---------------------------------------------------------------

  private static final String[] POOL_LABELS = {"pool", "tier", "rack", "room", "site"};

  private ControllerMetrics() {}

  /** Registers the metrics of a follower's heartbeat relay on {@code registry}. */
  public static void registerRelay(PrometheusRegistry registry, HeartbeatRelay relay) {
    CounterWithCallback.builder()
        .name(RELAYED_HEARTBEATS)
        .help(
            "Heartbeats this follower took from its agents and handed to the leader, by whether the"
                + " leader answered them")
        .labelNames("outcome")
        .callback(
            cb -> {
              cb.call(relay.relayed(), "answered");
              cb.call(relay.failed(), "failed");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name(RELAY_BATCHES)
        .help("Requests this follower sent the leader, each with many agents' heartbeats")
        .callback(cb -> cb.call(relay.batches()))
        .register(registry);
    CounterWithCallback.builder()
        .name(RELAY_BOARD_READS)
        .help(
            "Reads of the leader's record of the pools it queued work for, by outcome: this"
                + " follower wakes its agents waiting on those pools")
        .labelNames("outcome")
        .callback(
            cb -> {
              cb.call(relay.boardReads(), "answered");
              cb.call(relay.boardReadsFailed(), "failed");
            })
        .register(registry);
  }

  /** Registers the metrics of the agents' waits for work on this replica. */
  public static void registerWorkWaits(PrometheusRegistry registry, WorkSignals signals) {
    GaugeWithCallback.builder()
        .name(WORK_WAITS)
        .help("Idle agents waiting on this replica for work to be queued for their pools")
        .callback(cb -> cb.call(signals.waiting()))
        .register(registry);
    CounterWithCallback.builder()
        .name(WORK_WAKES)
        .help("Waits of agents on this replica answered with work: each agent then beat at once")
        .callback(cb -> cb.call(signals.woken()))
        .register(registry);
  }

  /** Registers every controller metric on {@code registry}. */
  public static void register(
      PrometheusRegistry registry,
      Leadership leadership,
      ClusterMapStore maps,
      AgentRegistry agents,
      ReplicaAgreement replicas,
      PolicyFiles policies,
      AuditTrail audit) {
    GaugeWithCallback.builder()
        .name(AUDIT_SPOOL_WRITABLE)
        .help(
            "1 while this replica's audit spool takes records, 0 while it cannot be written and"
                + " changes through the API are refused (503)")
        .callback(cb -> cb.call(audit.writable() ? 1 : 0))
        .register(registry);
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
        .name(IDENTITY_FILES_AGREE)
        .help(
            "1 when every live controller replica's users and tokens files grant the same as this"
                + " replica's, 0 when one grants other users, roles or tokens")
        .callback(cb -> cb.call(replicas.view().differing().identityFiles().isEmpty() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name(POLICIES_AGREE)
        .help(
            "1 when every live controller replica runs by the same storage policies, datasets and"
                + " reconcile settings as this replica, 0 when one runs by others")
        .callback(cb -> cb.call(replicas.view().differing().policies().isEmpty() ? 1 : 0))
        .register(registry);
    GaugeWithCallback.builder()
        .name(POLICY_FILES_USABLE)
        .help(
            "1 when this replica plans by its policy files as they are, 0 when they changed in a"
                + " way it cannot use (it keeps the policies read before)")
        .callback(cb -> cb.call(policies.refused() == null ? 1 : 0))
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
        .name(AGENT_UP)
        .help("1 while the agent's lease is current (state up), 0 when it is down")
        .labelNames("agent", "node")
        .callback(
            cb -> {
              for (AgentView a : agents.list()) {
                cb.call(a.state() == AgentState.UP ? 1 : 0, a.id(), nz(a.node()));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(AGENT_HEARTBEAT_RECEIVED)
        .help("When a controller last received a heartbeat from the agent (Unix seconds)")
        .labelNames("agent", "node")
        .callback(
            cb -> {
              for (AgentView a : agents.list()) {
                if (a.lastHeartbeat() != null) {
                  cb.call(a.lastHeartbeat().toEpochMilli() / 1000.0, a.id(), nz(a.node()));
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(TIER_FILL_CEILING)
        .help("Share of capacity above which a pool of the tier takes no new copies (0..1]")
        .labelNames("tier")
        .callback(
            cb -> {
              for (var tier : maps.current().tiers().values()) {
                cb.call(tier.fillCeiling(), tier.name());
              }
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
    poolGauge(
        registry,
        maps,
        agents,
        POOL_ENCRYPTION_UNMET,
        "1 when a copy written to the pool under a policy's server-side encryption was not reported"
            + " encrypted (or could not ask it), 0 otherwise",
        p -> p.encryptionUnmet() == null ? 0 : 1);
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
