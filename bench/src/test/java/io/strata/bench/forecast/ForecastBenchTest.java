package io.strata.bench.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The forecast backtest: its figures and its last line. */
class ForecastBenchTest {
  @Test
  void thePolicyAwareForecastBeatsThePlainTrendWhereThePhasesBendTheCurves() {
    ForecastBench.Score score = ForecastBench.run(200, 365, 5, 1);

    // Warm levels off at a year and cold steps up: the line fitted to 30 days sees neither.
    assertThat(score.mapePolicy()).isLessThan(score.mapeTrend() / 2);
    assertThat(score.perTier().get("warm").trendError)
        .isGreaterThan(score.perTier().get("warm").policyError * 2);
    assertThat(score.all().points).isEqualTo(5 * 3 * 365);
  }

  @Test
  void ninetyFivePercentIntervalsHoldMostButNotAllHiddenDays() {
    ForecastBench.Score score = ForecastBench.run(200, 120, 20, 11);

    assertThat(score.coverage95()).isBetween(0.85, 0.999);
  }

  @Test
  void theLastLineGivesTheHorizonTheErrorsAndTheCoverage() {
    assertThat(ForecastBench.lastLine(365, 0.01234, 0.20111, 0.9512))
        .isEqualTo(
            "forecast: horizon_days=365 mape_policy=0.0123 mape_trend=0.2011 coverage95=0.951");
  }
}
