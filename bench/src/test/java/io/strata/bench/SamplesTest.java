package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Medians, spreads and ratios of measured runs, as every comparing benchmark reports them. */
class SamplesTest {
  @Test
  void anOddNumberOfRunsHasItsMiddleRunAsMedian() {
    Samples s = Samples.of(9, 1, 5, 3, 7);

    assertThat(s.median()).isEqualTo(5);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(9);
    assertThat(s.runs()).isEqualTo(5);
  }

  @Test
  void anEvenNumberOfRunsAveragesTheMiddleTwo() {
    assertThat(Samples.of(4, 1, 3, 10).median()).isEqualTo(3.5);
  }

  @Test
  void aRatioOfRatesIsTheRatioOfMediansBetweenItsWorstAndBestPairing() {
    Samples strata = Samples.of(90, 100, 120);
    Samples peer = Samples.of(8, 10, 12);

    double[] ratio = strata.ratioTo(peer);

    assertThat(ratio[0]).isEqualTo(10.0);
    assertThat(ratio[1]).isEqualTo(7.5);
    assertThat(ratio[2]).isEqualTo(15.0);
  }

  @Test
  void describeGivesMedianSpreadAndRuns() {
    assertThat(Samples.of(2, 1, 3).describe("%.1f")).isEqualTo("2.0 (1.0-3.0, 3 runs)");
  }

  @Test
  void noRunsIsAnError() {
    assertThatThrownBy(Samples::of).isInstanceOf(IllegalArgumentException.class);
  }
}
