package io.strata.fleet.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PhaseFlowTest {
  /**
   * Two hot copies for 10 days, then a warm and a cold one, then two cold from day 30, gone at 50.
   */
  static final PhaseFlow SHORT =
      new PhaseFlow(
          new int[] {0, 10, 30},
          List.of(Map.of("hot", 2), Map.of("warm", 1, "cold", 1), Map.of("cold", 2)),
          50);

  static StoragePolicy policy(String text) {
    return PolicyParser.parse(new PolicySource("t.yaml", text)).orThrow().get(0);
  }

  @Test
  void readsThePhasesAndExpiryOfAPolicyInWholeDays() {
    PhaseFlow flow =
        PhaseFlow.of(
            policy(
                """
                policy: imaging
                datasets: ["*-imaging"]
                recordClass: inpatient
                phases:
                  0d: 2 × hot-nvme spread room
                  90d: warm-hdd + cold-archive spread site
                  5y: 2 × cold-archive spread site
                retention:
                  minimum: 30y
                expiry: 31y
                """));

    assertThat(flow.starts()).containsExactly(0, 90, 1826);
    assertThat(flow.expiryDays()).isEqualTo(11_323);
    assertThat(flow.tiers()).containsExactly("cold-archive", "hot-nvme", "warm-hdd");
    assertThat(flow.copies("hot-nvme", 89)).isEqualTo(2);
    assertThat(flow.copies("hot-nvme", 90)).isZero();
    assertThat(flow.copies("warm-hdd", 90)).isEqualTo(1);
    assertThat(flow.copies("cold-archive", 1825)).isEqualTo(1);
    assertThat(flow.copies("cold-archive", 1826)).isEqualTo(2);
    assertThat(flow.copies("cold-archive", 11_323)).isZero();
  }

  @Test
  void aPolicyWithoutExpiryKeepsItsLastPhaseForever() {
    PhaseFlow flow =
        PhaseFlow.of(
            policy(
                """
                policy: records
                datasets: ["*-records"]
                recordClass: outpatient
                phases:
                  0d: 3 × warm-hdd spread room
                retention:
                  minimum: 15y
                """));

    assertThat(flow.expiryDays()).isEqualTo(Integer.MAX_VALUE);
    assertThat(flow.copies("warm-hdd", 1_000_000)).isEqualTo(3);
  }

  @Test
  void constantIntakeFillsHotUntilItsFirstDataLeavesThenLevels() {
    double[] intake = new double[60];
    Arrays.fill(intake, 10);

    double[] hot = SHORT.project("hot", intake, 60);

    // Day d holds the intake of days 0..d while none is 10 days old: 2 copies × 10 × (d + 1).
    assertThat(hot[0]).isEqualTo(20);
    assertThat(hot[9]).isEqualTo(200);
    // From day 10 on, only the last 10 days' intake is hot.
    assertThat(hot[10]).isEqualTo(200);
    assertThat(hot[59]).isEqualTo(200);
  }

  @Test
  void constantIntakeMovesThroughWarmAndColdAndExpires() {
    double[] intake = new double[80];
    Arrays.fill(intake, 10);

    double[] warm = SHORT.project("warm", intake, 80);
    double[] cold = SHORT.project("cold", intake, 80);

    // Warm holds ages 10..29: nothing before day 10, then 10 a day, level at 200 from day 29.
    assertThat(warm[9]).isZero();
    assertThat(warm[10]).isEqualTo(10);
    assertThat(warm[29]).isEqualTo(200);
    assertThat(warm[79]).isEqualTo(200);
    // Cold holds one copy of ages 10..29 and two of ages 30..49: 200 + 2 × 200 once level.
    assertThat(cold[29]).isEqualTo(200);
    assertThat(cold[30]).isEqualTo(220);
    assertThat(cold[49]).isEqualTo(600);
    // Data 50 days old is deleted: the level stays.
    assertThat(cold[50]).isEqualTo(600);
    assertThat(cold[79]).isEqualTo(600);
  }

  @Test
  void oneDayOfIntakeIsOnEachTierOnlyWhileItsAgeIsInThatPhase() {
    double[] intake = new double[60];
    intake[5] = 7;

    double[] hot = SHORT.project("hot", intake, 60);
    double[] warm = SHORT.project("warm", intake, 60);
    double[] cold = SHORT.project("cold", intake, 60);

    for (int d = 0; d < 60; d++) {
      int age = d - 5;
      assertThat(hot[d]).as("hot on day %d", d).isEqualTo(7.0 * SHORT.copies("hot", age));
      assertThat(warm[d]).as("warm on day %d", d).isEqualTo(7.0 * SHORT.copies("warm", age));
      assertThat(cold[d]).as("cold on day %d", d).isEqualTo(7.0 * SHORT.copies("cold", age));
    }
    assertThat(hot[14]).isEqualTo(14);
    assertThat(hot[15]).isZero();
    assertThat(cold[35]).isEqualTo(14);
    assertThat(cold[55]).isZero();
  }

  @Test
  void refusesPhasesOutOfOrderOrAnExpiryAtDayZero() {
    assertThatThrownBy(
            () -> new PhaseFlow(new int[] {0, 5, 5}, List.of(Map.of(), Map.of(), Map.of()), 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ascend");
    assertThatThrownBy(() -> new PhaseFlow(new int[] {0}, List.of(Map.of("hot", 1)), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expiry");
  }
}
