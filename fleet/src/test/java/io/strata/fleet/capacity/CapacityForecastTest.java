package io.strata.fleet.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.strata.fleet.capacity.CapacityForecast.Addition;
import io.strata.fleet.capacity.CapacityForecast.Grouping;
import io.strata.fleet.capacity.CapacityForecast.Row;
import io.strata.fleet.capacity.CapacityForecast.Scenario;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class CapacityForecastTest {
  private static final long GB = 1_000_000_000L;
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofDays(30);

  /**
   * Two hot pools in two rooms of site s1 (1 TB each, ceiling 0.8), a draining hot pool there (1
   * TB), and a cold pool at s2 (10 TB, ceiling 0.9).
   */
  public static final ClusterMap MAP =
      TopologyFile.parse(
          "topology.yaml",
          """
          tiers:
            - {name: hot, fillCeiling: 0.8}
            - {name: cold, fillCeiling: 0.9}
          domains:
            - {id: region-1, level: region}
            - {id: s1, level: site, parent: region-1}
            - {id: s2, level: site, parent: region-1}
            - {id: room-a, level: room, parent: s1}
            - {id: room-b, level: room, parent: s1}
            - {id: room-c, level: room, parent: s2}
            - {id: node-1, level: node, parent: room-a}
            - {id: node-2, level: node, parent: room-b}
            - {id: node-3, level: node, parent: room-c}
            - {id: node-4, level: node, parent: room-b}
          pools:
            - {id: p1, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:9001", capacity: 1TB, credentials: "file:k"}
            - {id: p2, domain: node-2, tier: hot, endpoint: "http://127.0.0.1:9002", capacity: 1TB, credentials: "file:k"}
            - {id: p3, domain: node-3, tier: cold, endpoint: "http://127.0.0.1:9003", capacity: 10TB, credentials: "file:k"}
            - {id: p4, domain: node-4, tier: hot, endpoint: "http://127.0.0.1:9004", capacity: 1TB, credentials: "file:k", state: draining}
          """);

  /** Daily samples for {@code days} days: p1 from 100 GB +10 GB/day, p2 from 200 GB +5 GB/day. */
  public static List<CapacitySample> growing(int days) {
    List<CapacitySample> out = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      Map<String, Long> used = new LinkedHashMap<>();
      used.put("p1", 100 * GB + d * 10 * GB);
      used.put("p2", 200 * GB + d * 5 * GB);
      used.put("p3", 4_000 * GB);
      used.put("p4", 50 * GB);
      out.add(TestSamples.sample(T0.plus(Duration.ofDays(d)), used));
    }
    return out;
  }

  public static Instant dayAfter(int days) {
    return T0.plus(Duration.ofDays(days));
  }

  /** The forecast of {@link #MAP} over a 30-day window. */
  static List<Row> forecast(
      List<CapacitySample> samples, Instant now, Grouping by, Scenario scenario) {
    return CapacityForecast.forecast(MAP, samples, now, WINDOW, by, scenario);
  }

  private static Row row(List<Row> rows, String tier, String site) {
    return rows.stream()
        .filter(r -> r.tier().equals(tier) && r.site().equals(site))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aGrowingTierFillsWhenItsSummedTrendReachesTheCeilingOfItsPoolsThatTakeCopies() {
    List<Row> rows = forecast(growing(10), dayAfter(9), Grouping.SITE, Scenario.TREND);
    Row hot = row(rows, "hot", "s1");
    // The draining pool's use counts, its capacity does not: 2 TB up, 1.6 TB below the ceiling.
    assertThat(hot.pools()).isEqualTo(3);
    assertThat(hot.poolsCounted()).isEqualTo(3);
    assertThat(hot.capacityBytes()).isEqualTo(2_000 * GB);
    assertThat(hot.limitBytes()).isEqualTo(1_600 * GB);
    assertThat(hot.usedBytes()).isEqualTo((190 + 245 + 50) * GB);
    assertThat(hot.growthBytesPerDay()).isCloseTo(15.0 * GB, within(1.0));
    double days = (1_600 - 485) / 15.0;
    assertThat(hot.daysUntilFull()).isCloseTo(days, within(1e-6));
    assertThat(hot.fullOn())
        .isEqualTo(LocalDate.parse("2026-11-10").plusDays((long) Math.ceil(days)));
    assertThat(hot.fill()).isCloseTo(485 / 2000.0, within(1e-9));

    Row cold = row(rows, "cold", "s2");
    assertThat(cold.growthBytesPerDay()).isCloseTo(0.0, within(1e-3));
    assertThat(cold.daysUntilFull()).as("a tier that does not grow never fills").isNull();
    assertThat(cold.fullOn()).isNull();
    assertThat(rows).as("soonest full first").extracting(Row::tier).containsExactly("hot", "cold");
  }

  @Test
  void aPoolMissingFromSomeSamplesBendsNeitherTheUseNorTheTrend() {
    List<CapacitySample> gappy = new ArrayList<>();
    for (CapacitySample s : growing(10)) {
      int day = (int) Duration.between(T0, s.at()).toDays();
      if (day >= 3 && day <= 6) {
        // p2's agent was down for four days: the sample leaves it out.
        List<String> pools = new ArrayList<>();
        List<Long> used = new ArrayList<>();
        for (int i = 0; i < s.pools().size(); i++) {
          if (!s.pools().get(i).equals("p2")) {
            pools.add(s.pools().get(i));
            used.add(s.used()[i]);
          }
        }
        gappy.add(
            new CapacitySample(s.at(), pools, used.stream().mapToLong(Long::longValue).toArray()));
      } else {
        gappy.add(s);
      }
    }
    Row hot = row(forecast(gappy, dayAfter(9), Grouping.SITE, Scenario.TREND), "hot", "s1");
    assertThat(hot.usedBytes()).isEqualTo((190 + 245 + 50) * GB);
    assertThat(hot.growthBytesPerDay()).isCloseTo(15.0 * GB, within(1.0));
  }

  @Test
  void onlyTheWindowBeforeTheNewestSampleIsFitted() {
    List<CapacitySample> samples = new ArrayList<>(growing(10));
    // Forty days before: p1 far fuller. Inside the window it would make the trend negative.
    samples.add(
        TestSamples.sample(T0.minus(Duration.ofDays(40)), Map.of("p1", 900 * GB, "p2", 0L)));
    Row hot = row(forecast(samples, dayAfter(9), Grouping.SITE, Scenario.TREND), "hot", "s1");
    assertThat(hot.growthBytesPerDay()).isCloseTo(15.0 * GB, within(1.0));
  }

  @Test
  void oneSampleGivesUseButNoTrend() {
    Row hot = row(forecast(growing(1), dayAfter(0), Grouping.SITE, Scenario.TREND), "hot", "s1");
    assertThat(hot.usedBytes()).isEqualTo(350 * GB);
    assertThat(hot.growthBytesPerDay()).isNull();
    assertThat(hot.daysUntilFull()).isNull();
    Row none = row(forecast(List.of(), dayAfter(0), Grouping.SITE, Scenario.TREND), "hot", "s1");
    assertThat(none.poolsCounted()).isZero();
    assertThat(none.daysUntilFull()).isNull();
  }

  @Test
  void aTierAtItsCeilingIsFullNowEvenWithoutATrend() {
    Row cold =
        row(
            forecast(
                List.of(TestSamples.sample(T0, Map.of("p3", 9_000 * GB))),
                T0,
                Grouping.SITE,
                Scenario.TREND),
            "cold",
            "s2");
    assertThat(cold.daysUntilFull()).isZero();
    assertThat(cold.fullOn()).isEqualTo(LocalDate.parse("2026-11-01"));
  }

  @Test
  void whatIfFasterGrowthAndAddedCapacity() {
    List<CapacitySample> samples = growing(10);
    Row base = row(forecast(samples, dayAfter(9), Grouping.SITE, Scenario.TREND), "hot", "s1");
    Row twice =
        row(forecast(samples, dayAfter(9), Grouping.SITE, new Scenario(2, List.of())), "hot", "s1");
    assertThat(twice.daysUntilFull()).isCloseTo(base.daysUntilFull() / 2, within(1e-6));
    Row added =
        row(
            forecast(
                samples,
                dayAfter(9),
                Grouping.SITE,
                new Scenario(1, List.of(new Addition("hot", "s1", 1_000 * GB)))),
            "hot",
            "s1");
    assertThat(added.capacityBytes()).isEqualTo(3_000 * GB);
    assertThat(added.limitBytes()).isEqualTo(2_400 * GB);
    assertThat(added.daysUntilFull()).isCloseTo((2_400 - 485) / 15.0, within(1e-6));
    // Capacity for a tier at a site that has none of it yet makes a row of its own.
    Row newTier =
        row(
            forecast(
                samples,
                dayAfter(9),
                Grouping.SITE,
                new Scenario(1, List.of(new Addition("hot", "s2", 500 * GB)))),
            "hot",
            "s2");
    assertThat(newTier.pools()).isZero();
    assertThat(newTier.limitBytes()).isEqualTo(400 * GB);
  }

  @Test
  void aScenarioThatCannotBeUsedIsRefusedNamingWhy() {
    List<CapacitySample> samples = growing(3);
    assertThatThrownBy(
            () ->
                forecast(
                    samples,
                    T0,
                    Grouping.SITE,
                    new Scenario(1, List.of(new Addition("warm", "s1", GB)))))
        .hasMessageContaining("unknown tier 'warm'");
    assertThatThrownBy(
            () ->
                forecast(
                    samples,
                    T0,
                    Grouping.SITE,
                    new Scenario(1, List.of(new Addition("hot", "room-a", GB)))))
        .hasMessageContaining("'room-a' is not a site");
    assertThatThrownBy(
            () ->
                forecast(
                    samples,
                    T0,
                    Grouping.ROOM,
                    new Scenario(1, List.of(new Addition("hot", "s1", GB)))))
        .hasMessageContaining("must be by site, not by room");
    assertThatThrownBy(() -> forecast(samples, T0, Grouping.SITE, new Scenario(-1, List.of())))
        .hasMessageContaining("growth: -1.0");
    assertThatThrownBy(() -> Grouping.parse("rack")).hasMessageContaining("use site, room or pool");
  }

  @Test
  void byRoomAndByPoolSplitTheTier() {
    List<Row> rooms = forecast(growing(10), dayAfter(9), Grouping.ROOM, Scenario.TREND);
    assertThat(rooms)
        .extracting(r -> r.tier() + "@" + r.room())
        .containsExactly("hot@room-a", "hot@room-b", "cold@room-c");
    Row roomA = rooms.get(0);
    assertThat(roomA.usedBytes()).isEqualTo(190 * GB);
    assertThat(roomA.daysUntilFull()).isCloseTo((800 - 190) / 10.0, within(1e-6));
    List<Row> pools = forecast(growing(10), dayAfter(9), Grouping.POOL, Scenario.TREND);
    assertThat(pools).extracting(Row::pool).containsExactlyInAnyOrder("p1", "p2", "p3", "p4");
    Row draining = pools.stream().filter(r -> r.pool().equals("p4")).findFirst().orElseThrow();
    assertThat(draining.capacityBytes()).as("a draining pool takes no copies").isZero();
    // It has no usable capacity, which is not being full in 0 days.
    assertThat(draining.daysUntilFull()).isNull();
    assertThat(draining.fullOn()).isNull();
    assertThat(draining.noCapacity()).isEqualTo("1 pool draining");
    assertThat(pools.get(pools.size() - 1)).isSameAs(draining);
    assertThat(roomA.noCapacity()).isNull();
  }

  @Test
  void csvQuotesWhatWouldBreakAColumnAndDefusesFormulas() {
    assertThat(CapacityCsv.field("room-a")).isEqualTo("room-a");
    assertThat(CapacityCsv.field("a,b")).isEqualTo("\"a,b\"");
    assertThat(CapacityCsv.field("say \"x\"")).isEqualTo("\"say \"\"x\"\"\"");
    assertThat(CapacityCsv.field("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
    assertThat(CapacityCsv.field(null)).isEmpty();
    String csv =
        CapacityCsv.write(forecast(growing(10), dayAfter(9), Grouping.SITE, Scenario.TREND));
    String[] lines = csv.split("\r\n");
    assertThat(lines[0]).isEqualTo(CapacityCsv.HEADER);
    assertThat(lines[1])
        .isEqualTo(
            "hot,s1,,,3,3,2000000000000,1600000000000,485000000000,0.2425,15000000000,74.3,2027-01-24,");
    assertThat(lines[2])
        .isEqualTo("cold,s2,,,1,1,10000000000000,9000000000000,4000000000000,0.4000,0,,,");
    String drained =
        CapacityCsv.write(forecast(growing(10), dayAfter(9), Grouping.POOL, Scenario.TREND));
    assertThat(drained).contains(",p4,1,1,0,0,50000000000,,0,,,1 pool draining\r\n");
  }
}
