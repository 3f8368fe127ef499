package io.strata.fleet.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strata.fleet.capacity.CapacitySample.DatasetBytes;
import io.strata.fleet.capacity.PolicyForecast.Projection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tier's use split into what its datasets explain through their policies and the rest, on its net
 * growth: exact on a history whose datasets and remainder are known.
 */
class IntakeSplitTest {
  private static final Instant T0 = Instant.parse("2026-11-20T00:30:00Z");
  private static final LocalDate FIRST = LocalDate.of(2026, 11, 20);
  private static final int DAYS = 10;
  private static final Map<String, PhaseFlow> FLOWS = Map.of("imaging", AgeProfileTest.HOT_90);

  /**
   * On day d: 100 bytes written long ago (71 + d days old), and 10 bytes written on each day 0..d.
   */
  static long[] ages(int d) {
    long[] ages = AgeProfile.add(new long[0], 71 + d, 100);
    for (int t = 0; t <= d; t++) {
      ages = AgeProfile.add(ages, d - t, 10);
    }
    return ages;
  }

  /** Daily samples of a-imaging, its ages in every one or only in the first. */
  static List<CapacitySample> samples(boolean agesDaily) {
    List<CapacitySample> out = new ArrayList<>();
    for (int d = 0; d < DAYS; d++) {
      long[] ages = agesDaily || d == 0 ? ages(d) : null;
      out.add(
          new CapacitySample(
              T0.plus(Duration.ofDays(d)),
              List.of(),
              new long[0],
              List.of(new DatasetBytes("a-imaging", "imaging", 100 + 10 * (d + 1), ages))));
    }
    return out;
  }

  /**
   * Hot: two copies of what a-imaging keeps hot, and 50 bytes of system data growing 5 a day. Cold:
   * 1,000 bytes no policy governs.
   */
  static Map<String, double[]> use() {
    double[] hot = new double[DAYS];
    double[] cold = new double[DAYS];
    for (int d = 0; d < DAYS; d++) {
      hot[d] = 2 * (100 + 10 * (d + 1)) + 50 + 5 * d;
      cold[d] = 1_000;
    }
    return Map.of("hot", hot, "cold", cold);
  }

  @Test
  void eachDaysLogicalBytesAndAgesAreReadFromTheSamplesAndCarriedToDaysWithoutAges() {
    List<DatasetHistory> daily = DatasetHistory.of(samples(true), FIRST, DAYS);
    List<DatasetHistory> once = DatasetHistory.of(samples(false), FIRST, DAYS);

    DatasetHistory a = daily.get(0);
    assertThat(a.dataset()).isEqualTo("a-imaging");
    assertThat(a.current()).isTrue();
    assertThat(a.intake()).containsOnly(10);
    assertThat(a.ages()[9]).isEqualTo(ages(9));
    // Recorded on day 0 only: aged 9 days, with the 90 bytes written since at age 0.
    long[] carried = once.get(0).ages()[9];
    assertThat(AgeProfile.total(carried)).isEqualTo(200);
    assertThat(carried[80]).isEqualTo(100);
    assertThat(carried[9]).isEqualTo(10);
    assertThat(carried[0]).isEqualTo(90);
  }

  @Test
  void theDatasetsGoThroughTheirPolicyAndTheRestOfTheTierOnItsNetGrowth() {
    IntakeSplit.Split split =
        IntakeSplit.of(use(), DatasetHistory.of(samples(true), FIRST, DAYS), FLOWS, 4);

    assertThat(split.methods())
        .containsEntry("hot", IntakeSplit.POLICY_AWARE)
        .containsEntry("cold", IntakeSplit.POLICY_AWARE);
    assertThat(split.datasets()).containsExactly("a-imaging (imaging)");
    Map<String, Projection> p =
        PolicyForecast.project(FIRST.plusDays(DAYS - 1), split.intake(), 400, Integer.MAX_VALUE);
    double[] hot = p.get("hot").mean();
    double[] cold = p.get("cold").mean();
    // Hot's change from today: the dataset's (its old 100 bytes leave on day 10, the tier holds
    // 90 days of 10 a day from day 80 on) and the system data's 5 a day.
    assertThat(hot[9] - hot[0]).isCloseTo(2 * 90 + 45, within(1e-6));
    assertThat(hot[10] - hot[0]).isCloseTo(2 * (100 - 100) + 50, within(1e-6));
    assertThat(hot[80] - hot[0]).isCloseTo(2 * (900 - 200) + 400, within(1e-6));
    assertThat(hot[400] - hot[0]).isCloseTo(2 * (900 - 200) + 2_000, within(1e-6));
    // Cold: the 1,000 bytes stay; the dataset's data arrives from day 10.
    assertThat(cold[10] - cold[0]).isCloseTo(100, within(1e-6));
    assertThat(cold[400] - cold[0]).isCloseTo(200 + 10 * 310, within(1e-6));
  }

  @Test
  void aWhatIfsChangedPhasesActOnTheStoredDataFromTodayOn() {
    PhaseFlow hot30 =
        new PhaseFlow(
            new int[] {0, 30}, List.of(Map.of("hot", 2), Map.of("cold", 1)), Integer.MAX_VALUE);
    IntakeSplit.Split split =
        IntakeSplit.of(
            use(),
            DatasetHistory.of(samples(true), FIRST, DAYS),
            FLOWS,
            Map.of("imaging", hot30),
            4);

    double[] hot =
        PolicyForecast.project(FIRST.plusDays(DAYS - 1), split.intake(), 400, Integer.MAX_VALUE)
            .get("hot")
            .mean();
    // The history was stored under 90 hot days, so the rest of the tier is still the system
    // data's 5 a day; ahead, the dataset keeps 30 days of 10 a day hot (600 bytes in two copies),
    // against the 200 its last 10 days make hot today.
    assertThat(hot[400] - hot[0]).isCloseTo(2 * (300 - 100) + 2_000, within(1e-6));
  }

  @Test
  void withoutDatasetsInTheHistoryEveryTierIsOnItsOwnNetGrowth() {
    List<CapacitySample> old = new ArrayList<>();
    for (CapacitySample s : samples(true)) {
      old.add(new CapacitySample(s.at(), s.pools(), s.used()));
    }

    IntakeSplit.Split split = IntakeSplit.of(use(), DatasetHistory.of(old, FIRST, DAYS), FLOWS, 4);

    assertThat(split.methods())
        .containsExactly(
            Map.entry("cold", IntakeSplit.NET_GROWTH), Map.entry("hot", IntakeSplit.NET_GROWTH));
    double[] hot =
        PolicyForecast.project(FIRST.plusDays(DAYS - 1), split.intake(), 400, Integer.MAX_VALUE)
            .get("hot")
            .mean();
    // 25 bytes a day, carried on.
    assertThat(hot[400] - hot[0]).isCloseTo(10_000, within(1e-6));
  }

  @Test
  void aDatasetWithTooShortAHistoryOfItsOwnStaysInItsTiersNetGrowth() {
    List<CapacitySample> recent = new ArrayList<>();
    for (CapacitySample s : samples(true)) {
      boolean counted = !s.at().isBefore(T0.plus(Duration.ofDays(DAYS - 3)));
      recent.add(counted ? s : new CapacitySample(s.at(), s.pools(), s.used()));
    }

    IntakeSplit.Split split =
        IntakeSplit.of(use(), DatasetHistory.of(recent, FIRST, DAYS), FLOWS, 4);

    assertThat(split.methods()).containsEntry("hot", IntakeSplit.NET_GROWTH);
    assertThat(split.datasets()).isEmpty();
    assertThat(split.notes())
        .containsExactly(
            "a-imaging (imaging): 3 days of its own history, fewer than the 4 its intake is"
                + " fitted from; on its tiers' net growth");
  }
}
