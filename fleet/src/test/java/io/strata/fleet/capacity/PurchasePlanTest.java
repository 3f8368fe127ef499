package io.strata.fleet.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.fleet.capacity.PurchasePlan.Order;
import io.strata.fleet.capacity.PurchasePlan.Plan;
import io.strata.fleet.capacity.PurchasePlan.RackModel;
import io.strata.fleet.capacity.TierOutlook.Group;
import io.strata.fleet.capacity.TierOutlook.TierSite;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PurchasePlanTest {
  private static final long GB = 1_000_000_000L;
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

  /**
   * Hot at s1 from 200 GB and at s2 from 300 GB, each +20 GB a day, limits 1.6 TB; warm drained.
   */
  static List<Group> groups(double variance) {
    return TierOutlook.of(
        TierOutlookTest.MAP,
        Map.of("hot", TierOutlookTest.linear("hot", 40 * GB, variance, 200)),
        Map.of(
            new TierSite("hot", "s1"), new double[] {200 * GB},
            new TierSite("hot", "s2"), new double[] {300 * GB},
            new TierSite("warm", "s2"), new double[] {900 * GB}),
        30,
        200);
  }

  static final RackModel HOT_RACK = new RackModel("nvme-r1", "hot", 500 * GB, 5, 1000, 30);

  @Test
  void ordersEnoughRacksForAQuarterALeadTimeBeforeEachSiteWouldPassItsLimit() {
    Plan plan = PurchasePlan.plan(groups(0), Map.of("hot", HOT_RACK), 0.95, TODAY);

    // A rack adds 500 GB × 0.8 = 400 GB under the ceiling. s2 passes 1.6 TB on day 66 and needs
    // 300 + 20 × 156 = 3,420 GB by day 156: 5 racks; then 3.6 TB on day 166, 4.3 TB by day 200: 2.
    assertThat(plan.orders())
        .containsExactly(
            new Order(
                "hot",
                "s2",
                "nvme-r1",
                5,
                2500 * GB,
                TODAY.plusDays(36),
                TODAY.plusDays(66),
                5000,
                25,
                false),
            new Order(
                "hot",
                "s1",
                "nvme-r1",
                5,
                2500 * GB,
                TODAY.plusDays(41),
                TODAY.plusDays(71),
                5000,
                25,
                false),
            new Order(
                "hot",
                "s2",
                "nvme-r1",
                2,
                1000 * GB,
                TODAY.plusDays(136),
                TODAY.plusDays(166),
                2000,
                10,
                false),
            new Order(
                "hot",
                "s1",
                "nvme-r1",
                2,
                1000 * GB,
                TODAY.plusDays(141),
                TODAY.plusDays(171),
                2000,
                10,
                false));
    assertThat(plan.costByQuarter())
        .containsExactly(Map.entry("2027-Q1", 10_000.0), Map.entry("2027-Q2", 4_000.0));
    assertThat(plan.totalCost()).isEqualTo(14_000);
    assertThat(plan.unplanned())
        .containsExactly(new PurchasePlan.Unplanned("warm", "s2", "1 pool draining"));
  }

  @Test
  void aHigherConfidenceOrdersEarlierWhenTheProjectionIsUncertain() {
    List<Group> uncertain = groups(1600.0 * GB * GB);
    Plan median = PurchasePlan.plan(uncertain, Map.of("hot", HOT_RACK), 0.5, TODAY);
    Plan sure = PurchasePlan.plan(uncertain, Map.of("hot", HOT_RACK), 0.95, TODAY);

    assertThat(median.orders().get(0).neededBy()).isEqualTo(TODAY.plusDays(66));
    assertThat(sure.orders().get(0).neededBy()).isBefore(TODAY.plusDays(66));
    assertThat(sure.totalCost()).isGreaterThanOrEqualTo(median.totalCost());
  }

  @Test
  void anOrderWhoseDayHasPassedIsDueTodayAndLate() {
    RackModel slow = new RackModel("nvme-r1", "hot", 500 * GB, 5, 1000, 100);

    Plan plan = PurchasePlan.plan(groups(0), Map.of("hot", slow), 0.95, TODAY);

    assertThat(plan.orders().get(0).orderBy()).isEqualTo(TODAY);
    assertThat(plan.orders().get(0).late()).isTrue();
  }

  @Test
  void aTierWithoutARackModelIsListedRatherThanPlanned() {
    Plan plan = PurchasePlan.plan(groups(0), Map.of(), 0.95, TODAY);

    assertThat(plan.orders()).isEmpty();
    assertThat(plan.unplanned())
        .extracting(PurchasePlan.Unplanned::reason)
        .contains("no rack model for tier hot", "1 pool draining");
  }

  @Test
  void refusesARackModelWithNegativeCapacityOrALeadTimeBeyondTheHorizonNamingTheField() {
    assertThatThrownBy(
            () ->
                PurchasePlan.plan(
                    groups(0), Map.of("hot", new RackModel("r", "hot", -1, 5, 1, 3)), 0.95, TODAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rackModels.hot.usableBytes: -1");
    assertThatThrownBy(
            () ->
                PurchasePlan.plan(
                    groups(0),
                    Map.of("hot", new RackModel("r", "hot", GB, 5, 1, 201)),
                    0.95,
                    TODAY))
        .hasMessageStartingWith(
            "rackModels.hot.leadTimeDays: 201 is not between 0 and the horizon of 200 days");
    assertThatThrownBy(() -> PurchasePlan.plan(groups(0), Map.of(), 1.5, TODAY))
        .hasMessageStartingWith("confidence: 1.5");
  }
}
