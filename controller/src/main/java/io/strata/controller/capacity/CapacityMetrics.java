package io.strata.controller.capacity;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.controller.ControllerMetrics;
import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.topology.ClusterMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Feeds {@code strata_forecast_seconds_until_full} (declared in {@link ControllerMetrics}): one
 * series per tier and site with a trend, the time until the tier's pools at the site reach its fill
 * ceiling, in seconds (Prometheus's base unit; the API says days); {@code +Inf} while they do not
 * grow; absent while no pool of them has two counts in the window (unless they are full already:
 * 0). Every replica exports it, from the same history.
 */
public final class CapacityMetrics {
  private static final double SECONDS_PER_DAY = 86_400;

  private CapacityMetrics() {}

  public static void register(
      PrometheusRegistry registry, CapacityHistory history, Supplier<ClusterMap> map, Clock clock) {
    ControllerMetrics.Reserved m = ControllerMetrics.FORECAST_SECONDS_UNTIL_FULL;
    GaugeWithCallback.builder()
        .name(m.name())
        .help(m.help())
        .labelNames(m.labelNames())
        .callback(
            cb -> {
              for (CapacityForecast.Row r :
                  CapacityForecast.forecast(
                      map.get(),
                      history.samples(),
                      clock.instant(),
                      history.window(),
                      CapacityForecast.Grouping.SITE,
                      CapacityForecast.Scenario.TREND)) {
                boolean known =
                    r.daysUntilFull() != null
                        || r.growthBytesPerDay() != null
                        || r.noCapacity() != null;
                if (known && r.site() != null) {
                  // A tier with no pool taking copies takes nothing more: 0, as a full one.
                  double seconds =
                      r.noCapacity() != null
                          ? 0
                          : r.daysUntilFull() == null
                              ? Double.POSITIVE_INFINITY
                              : r.daysUntilFull() * SECONDS_PER_DAY;
                  cb.call(seconds, r.tier(), r.site());
                }
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.CAPACITY_SAMPLE_AGE)
        .help(
            "Age of the newest sample of the capacity history this replica reads; absent before"
                + " the first")
        .callback(
            cb -> {
              List<CapacitySample> samples = history.samples();
              if (!samples.isEmpty()) {
                Instant newest = samples.get(samples.size() - 1).at();
                cb.call(Duration.between(newest, clock.instant()).toMillis() / 1000.0);
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name(ControllerMetrics.CAPACITY_SAMPLE_INTERVAL)
        .help(
            "How often the leader samples the fleet into the capacity history (capacity.sampleInterval)")
        .callback(cb -> cb.call(history.interval().toMillis() / 1000.0))
        .register(registry);
  }
}
