package io.strata.bench.fleet;

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
