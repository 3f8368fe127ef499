package io.strata.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strata.bench.Samples;
import io.strata.topology.ClusterMap;
import org.junit.jupiter.api.Test;

/**
 * The placement benchmark's figures: each side's mapping rate, timed alike, the standard deviation
 * of chance in the movement, and the last line with the speedup's spread.
 */
class PlacementFiguresTest {
  private static final long MS = 1_000_000L;

  @Test
  void strataRateIsMappingsOverThePassesTime() {
    assertThat(PlacementBench.rate(100_000, 500 * MS)).isEqualTo(200_000.0);
  }

  @Test
  void crushtoolsRateLeavesOutProcessStartAndMapLoad() {
    // 1,000 inputs in 250 ms, one input in 50 ms: 1,000 mappings in 200 ms.
    assertThat(Crushtool.rate(1000, 50 * MS, 250 * MS)).isCloseTo(5000.0, within(1e-9));
  }

  @Test
  void atTheDefaultsTheOptimumIsAboutFourThousandCopiesAndChanceOnePointSixPercent() {
    // 40,000 pools; 10 racks of 4 join: 40 of 40,040. 1,333,333 shards of 3 copies (100 a pool):
    // 3,999,999 x 40 / 40,040 = 3,996.0 copies must move; one standard deviation 1/sqrt of it.
    ClusterMap before = BenchFleet.build(20, 500, 4);
    ClusterMap after = BenchFleet.withRacksAdded(before, 10, 4);

    double optimum = PlacementBench.optimum(before, after, 1_333_333L * 3);

    assertThat(optimum).isCloseTo(3996.0, within(0.05));
    assertThat(PlacementBench.movementSd(optimum)).isCloseTo(0.01582, within(1e-5));
    assertThat(PlacementBench.movementSd(10_000)).isEqualTo(0.01);
  }

  @Test
  void theLastLineGivesTheSpeedupOfTheMediansAndItsWorstAndBestPairing() {
    // Runs with the median and extremes of those bench/README.md records for 2026-12-06.
    Samples strata = Samples.of(202_857, 250_000, 299_913, 400_000, 519_845);
    Samples crush = Samples.of(3141, 4000, 4712, 5000, 5330);

    String line =
        PlacementBench.lastLine(strata, crush, 1.004, 0.016, 1.913, new double[] {1.43, 1.04});

    // 299,913 / 4,712 = 63.6; 202,857 / 5,330 = 38.1; 519,845 / 3,141 = 165.5.
    assertThat(line)
        .isEqualTo(
            "placement: strata=299913/s crushtool=4712/s speedup=63.6 runs=5 speedup_min=38.1"
                + " speedup_max=165.5 movement=1.004 movement_sd=0.016 crush_movement=1.913"
                + " fill_raw=1.430 fill_balanced=1.040");
  }

  @Test
  void withoutCrushtoolItsFiguresAreNotApplicable() {
    String line =
        PlacementBench.lastLine(
            Samples.of(1000, 3000, 2000), null, 1.0, 0.05, Double.NaN, new double[] {1.5, 1.05});

    assertThat(line)
        .isEqualTo(
            "placement: strata=2000/s crushtool=n/a/s speedup=n/a runs=3 speedup_min=n/a"
                + " speedup_max=n/a movement=1.000 movement_sd=0.050 crush_movement=n/a"
                + " fill_raw=1.500 fill_balanced=1.050");
  }
}
