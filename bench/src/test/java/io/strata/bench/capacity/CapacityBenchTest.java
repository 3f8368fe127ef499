package io.strata.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.bench.Samples;
import org.junit.jupiter.api.Test;

/** The capacity benchmark's last line: the medians of its rounds and the samples' heap. */
class CapacityBenchTest {
  @Test
  void theLastLineGivesEachTimesMedianOverTheRoundsAndItsSpread() {
    // Five rounds whose medians are those of the run bench/README.md records.
    String line =
        CapacityBench.lastLine(
            10_000,
            720,
            350_046,
            Samples.of(1.31, 1.19, 1.02, 1.25, 1.11),
            Samples.of(35, 29, 28, 31, 27),
            Samples.of(34, 40, 33, 30, 36),
            Samples.of(22, 25, 21, 19, 23),
            58_200_000L);

    assertThat(line)
        .isEqualTo(
            "capacity: pools=10000 samples=720 sample_bytes=350046 parse_ms=1.19"
                + " forecast_site_ms=29 forecast_pool_ms=34 history_ms=22 heap_mb=58 rounds=5"
                + " parse_ms_spread=1.02-1.31 forecast_site_ms_spread=27-35"
                + " forecast_pool_ms_spread=30-40 history_ms_spread=19-25");
  }

  @Test
  void thePlansFiguresFollowWithTheSizeOfASampleThatCarriesTheDatasetsAges() {
    assertThat(CapacityBench.planLine(200, 512_345, Samples.of(900, 1100, 1000)))
        .isEqualTo("datasets=200 ages_sample_bytes=512345 plan_ms=1000 plan_ms_spread=900-1100");
  }
}
