package io.strata.fleet.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strata.fleet.capacity.PolicyForecast.Projection;
import io.strata.fleet.capacity.TierOutlook.Group;
import io.strata.fleet.capacity.TierOutlook.Status;
import io.strata.fleet.capacity.TierOutlook.TierSite;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class TierOutlookTest {
  private static final long GB = 1_000_000_000L;

  /**
   * Hot at s1 (two 1 TB pools, ceiling 0.8) and s2 (one 2 TB pool), warm at s2 only, its one pool
   * draining.
   */
  static final ClusterMap MAP =
      TopologyFile.parse(
          "topology.yaml",
          """
          tiers:
            - {name: hot, fillCeiling: 0.8}
            - {name: warm, fillCeiling: 0.9}
          domains:
            - {id: region-1, level: region}
            - {id: s1, level: site, parent: region-1}
            - {id: s2, level: site, parent: region-1}
            - {id: room-a, level: room, parent: s1}
            - {id: room-c, level: room, parent: s2}
            - {id: node-1, level: node, parent: room-a}
            - {id: node-2, level: node, parent: room-a}
            - {id: node-3, level: node, parent: room-c}
            - {id: node-4, level: node, parent: room-c}
          pools:
            - {id: p1, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:9001", capacity: 1TB, credentials: "file:k"}
            - {id: p2, domain: node-2, tier: hot, endpoint: "http://127.0.0.1:9002", capacity: 1TB, credentials: "file:k"}
            - {id: p3, domain: node-3, tier: hot, endpoint: "http://127.0.0.1:9003", capacity: 2TB, credentials: "file:k"}
            - {id: p4, domain: node-4, tier: warm, endpoint: "http://127.0.0.1:9004", capacity: 5TB, credentials: "file:k", state: draining}
          """);

  /** A projection growing by {@code perDay} a day from 0, with variance {@code var·i}. */
  static Projection linear(String tier, double perDay, double var, int days) {
    double[] mean = new double[days + 1];
    double[] variance = new double[days + 1];
    for (int i = 0; i <= days; i++) {
      mean[i] = perDay * i;
      variance[i] = var * i;
    }
    return new Projection(tier, mean, variance, 1_000_000);
  }

  static Group group(List<Group> groups, String tier, String site) {
    return groups.stream()
        .filter(g -> g.tier().equals(tier) && site.equals(g.site()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachSiteTakesItsCapacitysShareOfTheTiersChangeFromWhatItHoldsToday() {
    List<Group> groups =
        TierOutlook.of(
            MAP,
            Map.of("hot", linear("hot", 40 * GB, 0, 100)),
            Map.of(
                new TierSite("hot", "s1"), new double[] {100 * GB, 200 * GB},
                new TierSite("hot", "s2"), new double[] {300 * GB}),
            30,
            100);

    Group s1 = group(groups, "hot", "s1");
    Group s2 = group(groups, "hot", "s2");
    assertThat(s1.share()).isEqualTo(0.5);
    assertThat(s1.usedBytes()).isEqualTo(200 * GB);
    // s1: 200 GB + half of 40 GB a day, to its limit of 1.6 TB: 70 days.
    assertThat(s1.mean()[10]).isCloseTo(400.0 * GB, within(1.0));
    assertThat(s1.fill().status()).isEqualTo(Status.FILLS);
    assertThat(s1.fill().days()).isEqualTo(70);
    // s2: 300 GB + 20 GB a day to 1.6 TB: 65 days.
    assertThat(s2.fill().days()).isEqualTo(65);
    // Its plain trend has one sample: it does not grow.
    assertThat(s2.fill().trendDays()).isNull();
    // s1's trend: 100 GB a day from 200 GB: 14 days.
    assertThat(s1.fill().trendDays()).isEqualTo(14);
    assertThat(groups.get(0)).isSameAs(s2);
  }

  @Test
  void theFillDatesIntervalIsWhereTheBoundsCrossTheLimit() {
    // 1.6 TB limit at s1, 20 GB a day from 0 at s1: 80 days; sd of (half of) 20 GB × √i.
    List<Group> groups =
        TierOutlook.of(
            MAP, Map.of("hot", linear("hot", 40 * GB, 1600.0 * GB * GB, 200)), Map.of(), 30, 200);

    Group s1 = group(groups, "hot", "s1");
    TierOutlook.Fill f = s1.fill();
    assertThat(f.days()).isEqualTo(80);
    assertThat(f.early95()).isLessThan(f.early80()).isLessThan(80);
    assertThat(f.late80()).isGreaterThan(80).isLessThan(f.late95());
    // The upper 95% bound on the earliest day reaches the limit, the day before does not.
    assertThat(s1.bound(f.early95(), 0.95, true)).isGreaterThanOrEqualTo(1600.0 * GB);
    assertThat(s1.bound(f.early95() - 1, 0.95, true)).isLessThan(1600.0 * GB);
    // sd on day 80 = 0.5 × 40 GB × √80: the 95% bounds are 1.96 sd either side.
    assertThat(s1.bound(80, 0.95, true) - s1.mean()[80])
        .isCloseTo(1.959964 * 0.5 * 40 * GB * Math.sqrt(80), within(1e-2 * GB));
  }

  @Test
  void aTierWhoseOnlyPoolAtASiteIsDrainingHasNoCapacityWithTheReasonNotFullInZeroDays() {
    List<Group> groups =
        TierOutlook.of(
            MAP,
            Map.of("warm", linear("warm", -5 * GB, 0, 30)),
            Map.of(new TierSite("warm", "s2"), new double[] {900 * GB, 800 * GB}),
            30,
            30);

    Group warm = group(groups, "warm", "s2");
    assertThat(warm.fill().status()).isEqualTo(Status.NO_CAPACITY);
    assertThat(warm.fill().reason()).isEqualTo("1 pool draining");
    assertThat(warm.fill().days()).isNull();
  }

  @Test
  void aShrinkingTierUnderItsLimitIsShrinkingNotFull() {
    List<Group> groups =
        TierOutlook.of(
            MAP,
            Map.of("hot", linear("hot", -10 * GB, 0, 30)),
            Map.of(new TierSite("hot", "s1"), new double[] {900 * GB, 800 * GB}),
            30,
            30);

    Group s1 = group(groups, "hot", "s1");
    assertThat(s1.fill().status()).isEqualTo(Status.SHRINKING);
    assertThat(s1.fill().days()).isNull();
    assertThat(s1.mean()[30]).isCloseTo(650.0 * GB, within(1.0));
  }

  @Test
  void aProjectedTierWithoutAnyPoolSaysSo() {
    List<Group> groups =
        TierOutlook.of(MAP, Map.of("cold", linear("cold", GB, 0, 10)), Map.of(), 30, 10);

    Group cold = groups.stream().filter(g -> g.tier().equals("cold")).findFirst().orElseThrow();
    assertThat(cold.site()).isNull();
    assertThat(cold.fill().status()).isEqualTo(Status.NO_CAPACITY);
    assertThat(cold.fill().reason()).isEqualTo("no pools");
  }

  @Test
  void capacityAddedInAWhatIfTakesCopiesFromTodayAndAShareOfTheChange() {
    List<Group> groups =
        TierOutlook.of(
            MAP,
            Map.of("hot", linear("hot", 40 * GB, 0, 100)),
            Map.of(),
            Map.of(new TierSite("hot", "s1"), 2000 * GB),
            30,
            100);

    Group s1 = group(groups, "hot", "s1");
    // s1 has 4 TB of the tier's 6 TB: two thirds of 40 GB a day, to 3.2 TB.
    assertThat(s1.capacityBytes()).isEqualTo(4000 * GB);
    assertThat(s1.limitBytes()).isEqualTo(3200 * GB);
    assertThat(s1.fill().days()).isNull();
    assertThat(s1.mean()[90]).isCloseTo(2400.0 * GB, within(1.0));
  }
}
