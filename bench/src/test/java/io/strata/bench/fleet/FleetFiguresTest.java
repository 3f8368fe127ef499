package io.strata.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fleet simulator's figures: heartbeats per controller core, the controller's cores, ZooKeeper
 * writes, the recovery ratio, the misplaced peak, the preview's error, and the line that sums them.
 */
class FleetFiguresTest {
  private static final long MIB = 1024L * 1024;

  @Test
  void theSteadyWindowGivesHeartbeatsPerCpuSecondCoresAndWritesPerFleetSecond() {
    FleetFigures f = new FleetFigures();

    // 2,000 beats for 2 CPU seconds of the controller's threads, over 200 fleet seconds.
    f.steady(2000, 2.0, 200, 40, 51 * MIB);

    assertThat(f.hbCapacityPerCore).isEqualTo(1000.0);
    assertThat(f.leaderCpu).isEqualTo(0.01);
    assertThat(f.zkWritesPerS).isEqualTo(0.2);
    assertThat(f.heapMb).isEqualTo(51.0);
  }

  @Test
  void theLineGivesTheRecoveryAgainstItsBound() {
    FleetFigures f = figures(7.5, 1044, 0.010, 51, 0.2);
    f.detectS = 32.6;
    f.planS = 632.4;
    f.recoverS = 891.1;
    f.boundS = 256.0;
    f.misplacedPeak = 0.041;

    // The rack-lost run bench/README.md records: 891.1 / 256 = 3.48.
    assertThat(f.line())
        .isEqualTo(
            "fleet: racks=20 agents=100 shards=500 hb_p99_ms=7.5 hb_capacity_per_core=1044"
                + " leader_cpu=0.010 heap_mb=51 zk_writes_per_s=0.2 detect_s=32.6 plan_s=632.4"
                + " recover_s=891.1 bound_s=256.0 recover_ratio=3.48 misplaced_peak=0.0410");
  }

  @Test
  void aScenarioWithoutAChangeHasNoChangeFigures() {
    assertThat(figures(14.1, 652, 0.015, 51, 0.2).line())
        .endsWith(
            "detect_s=na plan_s=na recover_s=na bound_s=na recover_ratio=na misplaced_peak=na");
  }

  @Test
  void aBoundOfZeroGivesNoRatio() {
    FleetFigures f = figures(1, 1, 1, 1, 1);
    f.recoverS = 10;
    f.boundS = 0;

    assertThat(f.line()).contains("bound_s=0.0 recover_ratio=na");
  }

  @Test
  void thePeakIsTheLargestSampleAndZeroOfNone() {
    assertThat(FleetFigures.peak(List.of(0.0, 0.041, 0.02, 0.0))).isEqualTo(0.041);
    assertThat(FleetFigures.peak(List.of())).isZero();
  }

  @Test
  void thePreviewErrorIsTheEstimatesDistanceFromTheSimulatedTimeOverIt() {
    // room-drained in bench/README.md: queued at 20.2, done at 1,967.1: 1,946.9 s simulated,
    // against an estimate of 1,900 s: 46.9 / 1,946.9 = 0.024.
    assertThat(FleetFigures.simulated(20.2, 1967.1)).isCloseTo(1946.9, within());
    assertThat(FleetFigures.f(FleetFigures.previewError(1900, 20.2, 1967.1), 3)).isEqualTo("0.024");
    // rack-lost: 1,320 s against 258.8 s: 1,061.2 / 258.8 = 4.100.
    assertThat(FleetFigures.f(FleetFigures.previewError(1320, 632.4, 891.2), 3)).isEqualTo("4.100");
  }

  @Test
  void thereIsNoPreviewErrorWhenTheRunDidNotRecover() {
    assertThat(FleetFigures.previewError(1320, 632.4, Double.NaN)).isNaN();
    assertThat(FleetFigures.previewError(1320, Double.NaN, Double.NaN)).isNaN();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  private static FleetFigures figures(
      double p99, double perCore, double leaderCpu, double heapMb, double zk) {
    FleetFigures f = new FleetFigures();
    f.racks = 20;
    f.agents = 100;
    f.shards = 500;
    f.hbP99Ms = p99;
    f.hbCapacityPerCore = perCore;
    f.leaderCpu = leaderCpu;
    f.heapMb = heapMb;
    f.zkWritesPerS = zk;
    return f;
  }
}
