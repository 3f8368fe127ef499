package io.strata.topology.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PlacementPropertiesTest {
  private static final int SHARDS = 400;

  private static Set<String> ids(List<Pool> pools) {
    Set<String> ids = new HashSet<>();
    pools.forEach(p -> ids.add(p.id()));
    return ids;
  }

  private static List<Set<String>> placeAll(ClusterMap map, PlacementRule rule) {
    Placer placer = PlacementIndex.of(map).placer();
    List<Set<String>> all = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      all.add(ids(placer.place("ds/" + i, rule)));
    }
    return all;
  }

  @Property(tries = 40)
  void placementIsDeterministicAndEqualsTheFlatDraw(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int rooms) {
    ClusterMap map = Fleets.random(seed, rooms, 5, 4);
    PlacementRule rule =
        new PlacementRule(
            DomainLevel.RACK, List.of(new TierCopies("hot", 2), new TierCopies("cold", 1)));
    PlacementIndex index = PlacementIndex.of(map);
    Placer one = index.placer();
    Placer other = PlacementIndex.of(map.atEpoch(9)).placer();
    for (int i = 0; i < 100; i++) {
      String shard = "ds/" + i;
      List<Integer> slots = PlacerTest.slots(one, shard, rule);
      assertThat(PlacerTest.slots(other, shard, rule)).isEqualTo(slots);
      List<Integer> flat = PlacerTest.exhaustive(shard, rule, index);
      if (flat.size() == rule.totalCopies()) {
        // short flat draws are completed by the placer's augmentation, so differ on purpose
        assertThat(slots).isEqualTo(flat);
      }
    }
  }

  @Property(tries = 60)
  void copiesAreInDistinctDomainsOfTheSpreadLevelOnTheRuleTiers(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 5) int rooms,
      @ForAll @IntRange(min = 2, max = 5) int level,
      @ForAll @IntRange(min = 1, max = 3) int hot,
      @ForAll @IntRange(min = 0, max = 2) int cold) {
    ClusterMap map = Fleets.random(seed, rooms, 6, 3);
    DomainLevel spread = DomainLevel.values()[level];
    List<TierCopies> copies = new ArrayList<>(List.of(new TierCopies("hot", hot)));
    if (cold > 0) {
      copies.add(new TierCopies("cold", cold));
    }
    PlacementRule rule = new PlacementRule(spread, copies);
    boolean satisfiable = RuleValidator.problems(rule, map).isEmpty();
    Placer placer = PlacementIndex.of(map).placer();
    for (int i = 0; i < 100; i++) {
      List<Pool> pools = placer.place("ds/" + i, rule);
      if (satisfiable) {
        assertThat(pools).hasSize(rule.totalCopies());
      }
      assertThat(pools.stream().map(p -> map.ancestor(p, spread).orElseThrow().id()).distinct())
          .hasSize(pools.size());
      assertThat(pools).allMatch(p -> map.effectiveState(p) == DomainState.UP);
      for (TierCopies c : copies) {
        assertThat(pools.stream().filter(p -> p.tier().equals(c.tier())).count())
            .isLessThanOrEqualTo(c.count());
      }
      long hotPlaced = pools.stream().filter(p -> p.tier().equals("hot")).count();
      assertThat(pools.subList(0, (int) hotPlaced)).allMatch(p -> p.tier().equals("hot"));
    }
  }

  @Property(tries = 8)
  void eachPoolReceivesCopiesInProportionToItsWeight(@ForAll long seed) {
    ClusterMap map = Fleets.random(seed, 3, 4, 3);
    PlacementRule rule = Fleets.rule(DomainLevel.NODE, "hot", 1);
    Placer placer = PlacementIndex.of(map).placer();
    int shards = 20_000;
    Map<String, Integer> count = new HashMap<>();
    for (int i = 0; i < shards; i++) {
      placer.place("ds/" + i, rule).forEach(p -> count.merge(p.id(), 1, Integer::sum));
    }
    double total =
        map.pools().values().stream()
            .filter(p -> p.tier().equals("hot"))
            .mapToDouble(Pool::weight)
            .sum();
    for (Pool p : map.pools().values()) {
      if (!p.tier().equals("hot")) {
        continue;
      }
      double expected = shards * p.weight() / total;
      // five standard deviations of a binomial count: fails by chance about once in 10^6 pools
      double slack = 5 * Math.sqrt(expected * (1 - p.weight() / total)) + 1;
      assertThat((double) count.getOrDefault(p.id(), 0))
          .as("copies on %s", p.id())
          .isBetween(expected - slack, expected + slack);
    }
  }

  @Property(tries = 60)
  void changingOneLeafMovesCopiesOnlyToOrFromThatLeaf(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 2) int change,
      @ForAll @IntRange(min = 2, max = 5) int level) {
    ClusterMap map = Fleets.random(seed, 3, 5, 3);
    Random random = new Random(seed);
    List<Pool> hot = map.pools().values().stream().filter(p -> p.tier().equals("hot")).toList();
    Pool leaf = hot.get(random.nextInt(hot.size()));
    ClusterMap changed;
    String moved;
    if (change == 0) {
      Domain rack = map.ancestor(leaf, DomainLevel.RACK).orElseThrow();
      Domain node = new Domain("added-node", DomainLevel.NODE, rack.id(), null, null);
      changed = map.withDomain(node).withPool(Fleets.pool("added", node.id(), "hot", 2));
      moved = "added";
    } else if (change == 1) {
      changed = map.withoutPool(leaf.id());
      moved = leaf.id();
    } else {
      changed = map.withPool(leaf.withWeight(leaf.weight() * (random.nextBoolean() ? 3 : 0.25)));
      moved = leaf.id();
    }
    PlacementRule rule = Fleets.rule(DomainLevel.values()[level], "hot", 2);
    assertOnlyMoves(placeAll(map, rule), placeAll(changed, rule), moved);
  }

  @Property(tries = 60)
  void markingAPoolOutMovesOnlyThatPoolsCopies(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 5) int level) {
    ClusterMap map = Fleets.random(seed, 3, 5, 3);
    List<Pool> hot = map.pools().values().stream().filter(p -> p.tier().equals("hot")).toList();
    Pool leaf = hot.get(new Random(seed).nextInt(hot.size()));
    ClusterMap out = map.withPool(leaf.withState(DomainState.OUT));
    PlacementRule rule = Fleets.rule(DomainLevel.values()[level], "hot", 2);
    List<Set<String>> before = placeAll(map, rule);
    List<Set<String>> after = placeAll(out, rule);
    for (int i = 0; i < SHARDS; i++) {
      Set<String> gone = new HashSet<>(before.get(i));
      gone.removeAll(after.get(i));
      assertThat(gone).isSubsetOf(Set.of(leaf.id()));
      assertThat(after.get(i)).doesNotContain(leaf.id());
      if (!before.get(i).contains(leaf.id())) {
        assertThat(after.get(i)).isEqualTo(before.get(i));
      }
    }
  }

  /** Every shard differs by at most one copy, and each difference involves {@code leaf}. */
  private static void assertOnlyMoves(
      List<Set<String>> before, List<Set<String>> after, String leaf) {
    for (int i = 0; i < before.size(); i++) {
      Set<String> gone = new HashSet<>(before.get(i));
      gone.removeAll(after.get(i));
      Set<String> came = new HashSet<>(after.get(i));
      came.removeAll(before.get(i));
      assertThat(gone.size()).as("shard %d", i).isLessThanOrEqualTo(1);
      if (!gone.isEmpty() || !came.isEmpty()) {
        assertThat(gone.contains(leaf) || came.contains(leaf))
            .as("shard %d moved %s -> %s without touching %s", i, gone, came, leaf)
            .isTrue();
      }
    }
  }
}
