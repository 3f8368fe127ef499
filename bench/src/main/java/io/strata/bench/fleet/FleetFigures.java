package io.strata.bench.fleet;

import java.util.List;
import java.util.Locale;

/**
 * A scenario's figures, times in fleet seconds (NaN where a scenario has no such moment), and the
 * line that sums them up: {@code detect_s} from the change, {@code plan_s} and {@code recover_s}
 * from the moment the controller may act on it (a lost pool's grace period ended; for a drain or an
 * addition, its detection).
 */
final class FleetFigures {
  int racks;
  int agents;
  int shards;
  double hbP99Ms = Double.NaN;
  double hbCapacityPerCore = Double.NaN;
  double leaderCpu = Double.NaN;
  double heapMb = Double.NaN;
  double zkWritesPerS = Double.NaN;
  double detectS = Double.NaN;
  double planS = Double.NaN;
  double recoverS = Double.NaN;
  double boundS = Double.NaN;
  double misplacedPeak = Double.NaN;
  double previewError = Double.NaN;

  /**
   * The figures of the steady window: {@code beats} heartbeats sent over {@code fleetSeconds}, the
   * controller's threads taking {@code controllerCpuSeconds} of CPU, ZooKeeper {@code
   * transactions}, and {@code heapBytes} in use after a collection at its end.
   */
  void steady(
      long beats,
      double controllerCpuSeconds,
      double fleetSeconds,
      long transactions,
      long heapBytes) {
    hbCapacityPerCore = beats / controllerCpuSeconds;
    leaderCpu = controllerCpuSeconds / fleetSeconds;
    zkWritesPerS = transactions / fleetSeconds;
    heapMb = heapBytes / (1024.0 * 1024);
  }

  /** The largest of the misplaced shares sampled through the change; 0 of none. */
  static double peak(List<Double> misplaced) {
    return misplaced.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  /**
   * How far the preview's estimate was from the run: |estimate - simulated| / simulated, the
   * simulated time being from the first task queued ({@code planned}) to done ({@code recovered}),
   * all in fleet seconds from the change; NaN when the run did not get there.
   */
  static double previewError(double etaFleetSeconds, double planned, double recovered) {
    double simulated = simulated(planned, recovered);
    return Math.abs(etaFleetSeconds - simulated) / simulated;
  }

  /** Fleet seconds from the first task queued to done; NaN when either did not happen. */
  static double simulated(double planned, double recovered) {
    return Double.isNaN(recovered) || Double.isNaN(planned) ? Double.NaN : recovered - planned;
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "fleet: racks=%d agents=%d shards=%d hb_p99_ms=%s hb_capacity_per_core=%s leader_cpu=%s"
            + " heap_mb=%s zk_writes_per_s=%s detect_s=%s plan_s=%s recover_s=%s bound_s=%s"
            + " recover_ratio=%s misplaced_peak=%s",
        racks,
        agents,
        shards,
        f(hbP99Ms, 1),
        f(hbCapacityPerCore, 0),
        f(leaderCpu, 3),
        f(heapMb, 0),
        f(zkWritesPerS, 1),
        f(detectS, 1),
        f(planS, 1),
        f(recoverS, 1),
        f(boundS, 1),
        f(recoverS / boundS, 2),
        f(misplacedPeak, 4));
  }

  static String f(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v)
        ? "na"
        : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
