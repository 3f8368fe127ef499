package io.strata.fleet.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.strata.fleet.capacity.PolicyForecast.DatasetIntake;
import io.strata.fleet.capacity.PolicyForecast.Projection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

public class PolicyForecastTest {
  private static final LocalDate LAST = LocalDate.of(2026, 11, 29);
  private static final PhaseFlow FLOW = PhaseFlowTest.SHORT;

  @Test
  void anExactLineOfIntakeIsExtendedAndAgedThroughThePhases() {
    double[] history = new double[60];
    for (int t = 0; t < 60; t++) {
      history[t] = 100 + 2 * t;
    }
    Map<String, Projection> p =
        PolicyForecast.project(
            LAST, List.of(DatasetIntake.fitted("a-imaging", FLOW, history)), 40, 365);

    // The same flow over the line continued for 40 more days.
    double[] all = new double[100];
    for (int t = 0; t < 100; t++) {
      all[t] = 100 + 2 * t;
    }
    for (String tier : List.of("hot", "warm", "cold")) {
      double[] truth = FLOW.project(tier, all, 100);
      for (int i = 0; i <= 40; i++) {
        assertThat(p.get(tier).mean()[i])
            .as("%s +%d", tier, i)
            .isCloseTo(truth[59 + i], within(1e-6));
      }
    }
    // Day 99's hot tier: 2 copies of days 90..99 = 2 × Σ(100 + 2t) = 2 × (1000 + 2 × 945) = 5780.
    assertThat(p.get("hot").mean()[40]).isCloseTo(5780, within(1e-6));
    // A perfect fit leaves no noise to predict.
    assertThat(p.get("cold").variance()[40]).isCloseTo(0, within(1e-6));
  }

  @Test
  void anOnboardedDatasetAddsItsIntakeFromTomorrow() {
    Map<String, Projection> p =
        PolicyForecast.project(
            LAST, List.of(DatasetIntake.planned("new-imaging", FLOW, 10)), 60, 365);

    assertThat(p.get("hot").mean()[0]).isZero();
    assertThat(p.get("hot").mean()[1]).isEqualTo(20);
    assertThat(p.get("hot").mean()[10]).isEqualTo(200);
    assertThat(p.get("hot").mean()[60]).isEqualTo(200);
    assertThat(p.get("cold").mean()[60]).isEqualTo(600);
    assertThat(p.get("hot").variance()[60]).isZero();
  }

  @Test
  void theVarianceOfATierIsTheRegressionsPredictionVarianceOfTheIntakeItHolds() {
    SplittableRandom random = new SplittableRandom(3);
    double[] history = new double[84];
    for (int t = 0; t < history.length; t++) {
      history[t] = 1000 + 5 * t + 100 * random.nextGaussian();
    }
    Map<String, Projection> p =
        PolicyForecast.project(
            LAST, List.of(DatasetIntake.fitted("a-imaging", FLOW, history)), 20, 365);
    IntakeModel model = IntakeModel.fit(LAST.minusDays(83), history);

    // Tomorrow's hot tier holds tomorrow's intake twice: g = 2·x, Σw² = 4.
    double[] g = model.row(84).clone();
    for (int i = 0; i < g.length; i++) {
      g[i] *= 2;
    }
    assertThat(p.get("hot").variance()[1]).isCloseTo(model.sumVariance(g, 4), within(1e-6));
    // It grows as more unseen days are held, and the interval is wider at 95% than at 80%.
    assertThat(p.get("hot").variance()[10]).isGreaterThan(p.get("hot").variance()[1] * 5);
    double up95 = p.get("hot").bound(10, 0.95, true);
    double up80 = p.get("hot").bound(10, 0.80, true);
    assertThat(up95).isGreaterThan(up80).isGreaterThan(p.get("hot").mean()[10]);
    assertThat(p.get("hot").degreesOfFreedom()).isEqualTo(84 - 8);
  }

  @Test
  void theModelFitsOnlyTheNewestDaysAskedButAgesAllOfThem() {
    double[] history = new double[60];
    for (int t = 0; t < 60; t++) {
      // An old rate of 1,000 a day, then 10 a day for the last 30 days.
      history[t] = t < 30 ? 1000 : 10;
    }
    Map<String, Projection> p =
        PolicyForecast.project(
            LAST, List.of(DatasetIntake.fitted("a-imaging", FLOW, history)), 30, 30);

    // Fitted on the last 30 days: 10 a day. The old days still age: on day +1, ages 30..49 hold
    // days 11..30 twice on cold (19 old days of 1,000 and day 30 of 10) and days 31..50 once.
    assertThat(p.get("hot").mean()[30]).isCloseTo(200, within(1e-6));
    assertThat(p.get("cold").mean()[1]).isCloseTo(2 * (19 * 1000 + 10) + 200, within(1e-6));
  }

  @Test
  void thePlainTrendIsTheLineThroughTheWindow() {
    double[] used = {0, 0, 0, 10, 20, 30, 40};

    double[] trend = PolicyForecast.trend(used, 4, 3);

    assertThat(trend).containsExactly(40, 50, 60, 70);
  }

  @Test
  void refusesADatasetWithTooShortAHistoryNamingIt() {
    assertThatThrownBy(() -> DatasetIntake.fitted("x-imaging", FLOW, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x-imaging")
        .hasMessageContaining("2 days");
    assertThatThrownBy(() -> DatasetIntake.planned("y-imaging", FLOW, -1))
        .hasMessageContaining("y-imaging");
  }

  @Test
  void aTiersOwnNetGrowthMayBeNegativeAndIsProjectedAsItsTrend() {
    double[] growth = new double[40];
    java.util.Arrays.fill(growth, -5);

    Map<String, Projection> p =
        PolicyForecast.project(LAST, List.of(DatasetIntake.net("warm", growth)), 10, 365);

    // Use is counted from the first day of the history: −5 × 40 today, −5 × 50 ten days on.
    assertThat(p.get("warm").mean()[0]).isCloseTo(-200, within(1e-6));
    assertThat(p.get("warm").mean()[10]).isCloseTo(-250, within(1e-6));
  }

  @Test
  void aRecordedStockAgesThroughThePhasesAndTheHotTierLevelsOffWhereTheNetTrendGoesOn() {
    // Ten days of 10 bytes a day, and 100 bytes written long ago, 80 days old today.
    long[] stock = AgeProfile.add(new long[0], 80, 100);
    for (int age = 0; age < 10; age++) {
      stock = AgeProfile.add(stock, age, 10);
    }
    double[] intake = new double[9];
    java.util.Arrays.fill(intake, 10);

    Map<String, Projection> p =
        PolicyForecast.project(
            LAST,
            List.of(DatasetIntake.fitted("a-imaging", AgeProfileTest.HOT_90, intake, stock)),
            400,
            365);
    double[] hot = p.get("hot").mean();
    double[] cold = p.get("cold").mean();

    // Today: two hot copies of all 200 bytes; the history's intake is in the stock, not counted
    // again.
    assertThat(hot[0]).isCloseTo(400, within(1e-6));
    // The old 100 bytes leave hot in 10 days, when they are 90 days old.
    assertThat(hot[9]).isCloseTo(2 * (100 + 100 + 90), within(1e-6));
    assertThat(hot[10]).isCloseTo(2 * (100 + 100), within(1e-6));
    assertThat(cold[10]).isCloseTo(100, within(1e-6));
    // From day 80 on, the hot tier holds 90 days of intake, two copies: it levels off.
    assertThat(hot[80]).isCloseTo(1800, within(1e-6));
    assertThat(hot[400]).isCloseTo(1800, within(1e-6));
    assertThat(cold[400]).isCloseTo(100 + 100 + 10 * (400 - 90), within(1e-6));
    // The same tier's own growth, 20 bytes a day, carried on as a trend: 8,400 on day 400.
    double[] growth = new double[9];
    java.util.Arrays.fill(growth, 20);
    double[] net =
        PolicyForecast.project(LAST, List.of(DatasetIntake.net("hot", growth)), 400, 365)
            .get("hot")
            .mean();
    assertThat(net[400] - net[0] + hot[0]).isCloseTo(8_400, within(1e-6));
  }
}
