package io.strata.controller.reconcile;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.controller.ControllerMetrics;
import io.strata.controller.zookeeper.TaskQueue;
import io.strata.fleet.reconcile.MovementBudgets;
import io.strata.fleet.reconcile.QueuedTask;
import io.strata.fleet.reconcile.ReconcileStats;
import io.strata.fleet.reconcile.ScrubSchedule;
import java.util.Locale;
import java.util.Map;

/**
 * Feeds the reconciler's metrics, with the names, help and labels reserved in {@link
 * ControllerMetrics}. Shard, object, task and epoch gauges are exported by the leader only; every
 * label value is exported, zeros included, so alerts see a 0 rather than nothing.
 */
public final class ReconcileMetrics {
  private ReconcileMetrics() {}

  /** Registers the reconciler's metrics on {@code registry}. */
  public static void register(PrometheusRegistry registry, Reconciler reconciler, TaskQueue queue) {
    ReconcileStats stats = reconciler.stats();
    GaugeWithCallback.builder()
        .name(ControllerMetrics.SHARDS.name())
        .help(ControllerMetrics.SHARDS.help())
        .labelNames(ControllerMetrics.SHARDS.labelNames())
        .callback(
            cb -> {
              if (reconciler.isLeading()) {
                stats.shards().forEach((state, n) -> cb.call(n, state.label()));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.VERIFIED_RATIO.name())
        .help(ControllerMetrics.VERIFIED_RATIO.help())
        .labelNames(ControllerMetrics.VERIFIED_RATIO.labelNames())
        .callback(
            cb -> {
              if (reconciler.isLeading()) {
                reconciler.ledger(false).forEach((name, d) -> cb.call(d.verifiedRatio(), name));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.INGEST_LAG.name())
        .help(ControllerMetrics.INGEST_LAG.help())
        .labelNames(ControllerMetrics.INGEST_LAG.labelNames())
        .callback(
            cb -> {
              if (reconciler.isLeading()) {
                reconciler.ingestLagSeconds().forEach((dataset, lag) -> cb.call(lag, dataset));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.TIER_FILL.name())
        .help(ControllerMetrics.TIER_FILL.help())
        .labelNames(ControllerMetrics.TIER_FILL.labelNames())
        .callback(
            cb -> {
              if (reconciler.isLeading()) {
                reconciler.tierFill().forEach((tier, fill) -> cb.call(fill, tier));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.MOVEMENT_BUDGET.name())
        .help(ControllerMetrics.MOVEMENT_BUDGET.help())
        .labelNames(ControllerMetrics.MOVEMENT_BUDGET.labelNames())
        .callback(
            cb -> {
              MovementBudgets.Rates rates = queue.budgets().rates();
              if (rates.rack() > 0) {
                cb.call(rates.rack(), "rack", "");
              }
              if (rates.room() > 0) {
                cb.call(rates.room(), "room", "");
              }
              rates.policies().forEach((policy, rate) -> cb.call(rate, "policy", policy));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.OBJECTS.name())
        .help(ControllerMetrics.OBJECTS.help())
        .labelNames(ControllerMetrics.OBJECTS.labelNames())
        .callback(
            cb -> {
              if (reconciler.isLeading()) {
                stats.objects().forEach((state, n) -> cb.call(n, state.label()));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.TASKS.name())
        .help(ControllerMetrics.TASKS.help())
        .labelNames(ControllerMetrics.TASKS.labelNames())
        .callback(
            cb -> {
              if (!reconciler.isLeading()) {
                return;
              }
              Map<String, long[]> counts = new java.util.TreeMap<>();
              for (String type : ControllerMetrics.TASK_TYPES) {
                counts.put(type, new long[ControllerMetrics.TASK_STATES.size()]);
              }
              for (QueuedTask q : queue.all()) {
                String type = q.task().type().name().toLowerCase(Locale.ROOT);
                String state =
                    q.cancelling()
                        ? "cancelling"
                        : q.leased() ? "leased" : q.attempts() > 0 ? "failed" : "queued";
                counts
                    .computeIfAbsent(type, t -> new long[ControllerMetrics.TASK_STATES.size()])[
                    ControllerMetrics.TASK_STATES.indexOf(state)]++;
              }
              counts.forEach(
                  (type, byState) -> {
                    for (int i = 0; i < byState.length; i++) {
                      cb.call(byState[i], type, ControllerMetrics.TASK_STATES.get(i));
                    }
                  });
            })
        .register(registry);
    CounterWithCallback.builder()
        .name(ControllerMetrics.MOVED_BYTES.name())
        .help(ControllerMetrics.MOVED_BYTES.help())
        .labelNames(ControllerMetrics.MOVED_BYTES.labelNames())
        .callback(cb -> stats.movedBytes().forEach((r, n) -> cb.call(n, r.label())))
        .register(registry);
    CounterWithCallback.builder()
        .name(ControllerMetrics.MOVED_OBJECTS.name())
        .help(ControllerMetrics.MOVED_OBJECTS.help())
        .labelNames(ControllerMetrics.MOVED_OBJECTS.labelNames())
        .callback(cb -> stats.movedObjects().forEach((r, n) -> cb.call(n, r.label())))
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.SCRUB_FAILED_COPIES.name())
        .help(ControllerMetrics.SCRUB_FAILED_COPIES.help())
        .callback(
            cb -> {
              if (reconciler.isLeading()) {
                cb.call(reconciler.copiesFailingScrub());
              }
            })
        .register(registry);
    scrubFigures(registry, reconciler, ControllerMetrics.SCRUB_PASS_SECONDS, f -> f.passSeconds());
    scrubFigures(
        registry,
        reconciler,
        ControllerMetrics.SCRUB_DEADLINE_FEASIBLE,
        f -> f.feasible() ? 1.0 : 0.0);
    scrubFigures(
        registry, reconciler, ControllerMetrics.SCRUB_OVERDUE_COPIES, f -> (double) f.overdue());
    GaugeWithCallback.builder()
        .name(ControllerMetrics.PLACEMENT_EPOCH.name())
        .help(ControllerMetrics.PLACEMENT_EPOCH.help())
        .callback(
            cb -> {
              if (reconciler.isLeading() && stats.placementEpoch() >= 0) {
                cb.call(stats.placementEpoch());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name(ControllerMetrics.RECONCILE_ROUND_FAILURES.name())
        .help(ControllerMetrics.RECONCILE_ROUND_FAILURES.help())
        .callback(cb -> cb.call(reconciler.status().failures()))
        .register(registry);
    Histogram rounds =
        Histogram.builder()
            .name(ControllerMetrics.RECONCILE_DURATION.name())
            .help(ControllerMetrics.RECONCILE_DURATION.help())
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    stats.onRound(rounds::observe);
  }

  /** A gauge per pool of the leader's scrub figures (see {@link Reconciler#scrubFigures}). */
  private static void scrubFigures(
      PrometheusRegistry registry,
      Reconciler reconciler,
      ControllerMetrics.Reserved metric,
      java.util.function.ToDoubleFunction<ScrubSchedule.PoolFigures> value) {
    GaugeWithCallback.builder()
        .name(metric.name())
        .help(metric.help())
        .labelNames(metric.labelNames())
        .callback(
            cb -> {
              if (reconciler.isLeading()) {
                reconciler
                    .scrubFigures()
                    .forEach((pool, f) -> cb.call(value.applyAsDouble(f), pool));
              }
            })
        .register(registry);
  }
}
