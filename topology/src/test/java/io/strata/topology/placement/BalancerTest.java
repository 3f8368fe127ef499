package io.strata.topology.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.CopyRemap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalancerTest {
  private static final PlacementRule RULE = Fleets.rule(DomainLevel.RACK, "hot", 3);

  private static List<String> shards(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("ds/" + i);
    }
    return ids;
  }

  /** Each pool's copies over its weighted share of all copies. */
  private static double[] fills(ClusterMap map, List<String> shards) {
    Placer placer = PlacementIndex.of(map).placer();
    Map<String, Integer> count = new HashMap<>();
    for (String s : shards) {
      placer.place(s, RULE).forEach(p -> count.merge(p.id(), 1, Integer::sum));
    }
    double weight = map.pools().values().stream().mapToDouble(Pool::weight).sum();
    double copies = shards.size() * 3.0;
    return map.pools().values().stream()
        .mapToDouble(p -> count.getOrDefault(p.id(), 0) / (copies * p.weight() / weight))
        .toArray();
  }

  private static double maxFill(ClusterMap map, List<String> shards) {
    return java.util.Arrays.stream(fills(map, shards)).max().orElseThrow();
  }

  @Test
  void balancedMapIsWithinTargetAndPlacementStillKeepsSpread() {
    ClusterMap map = Fleets.uniform(4, 25, 4);
    List<String> shards = shards(map.pools().size() * 100 / 3);
    Balancer.Plan plan = Balancer.plan(PlacementIndex.of(map), shards, s -> RULE, 1.05, 100_000);
    ClusterMap balanced = map.withRemaps(plan.table());

    assertThat(plan.fillBefore()).isGreaterThan(1.2);
    assertThat(plan.fillAfter()).isLessThanOrEqualTo(1.05);
    assertThat(maxFill(balanced, shards)).isEqualTo(plan.fillAfter());
    // the excess above 1.05 of a Poisson(100) pool averages about 2 copies; allow 4
    assertThat(plan.moved()).isLessThanOrEqualTo(4 * map.pools().size());
    Placer placer = PlacementIndex.of(balanced).placer();
    for (String s : shards) {
      List<Pool> pools = placer.place(s, RULE);
      assertThat(pools).hasSize(3);
      assertThat(
              pools.stream()
                  .map(p -> balanced.ancestor(p, DomainLevel.RACK).orElseThrow().id())
                  .distinct())
          .hasSize(3);
    }
  }

  @Test
  void aPoolLeftEmptyByOldExceptionsIsFilledToTheMirrorOfTarget() {
    ClusterMap map = Fleets.uniform(2, 10, 2);
    List<String> shards = shards(map.pools().size() * 1000 / 3);
    // At 1,000 copies a pool hashing is within 10%; exceptions from earlier rounds moved most
    // copies off one pool, so no pool is above target and draining alone would leave it there.
    Pool emptied = map.pools().values().iterator().next();
    Placer placer = PlacementIndex.of(map).placer();
    List<CopyRemap> old = new ArrayList<>();
    for (String s : shards) {
      List<Pool> on = placer.place(s, RULE);
      if (on.contains(emptied) && old.size() < 700) {
        List<String> racks =
            on.stream().map(p -> map.ancestor(p, DomainLevel.RACK).orElseThrow().id()).toList();
        List<Pool> others =
            map.pools().values().stream()
                .filter(p -> !racks.contains(map.ancestor(p, DomainLevel.RACK).orElseThrow().id()))
                .toList();
        Pool to = others.get(old.size() % others.size());
        old.add(new CopyRemap(s, emptied.id(), to.id()));
      }
    }
    ClusterMap skewed = map.withRemaps(old);
    assertThat(java.util.Arrays.stream(fills(skewed, shards)).min().orElseThrow()).isLessThan(0.5);

    Balancer.Plan plan = Balancer.plan(PlacementIndex.of(skewed), shards, s -> RULE, 1.05, 100_000);

    double[] after = fills(skewed.withRemaps(plan.table()), shards);
    assertThat(java.util.Arrays.stream(after).boxed())
        .allSatisfy(f -> assertThat(f).isBetween(0.9, 1.1));
  }

  @Test
  void roundMovesNoMoreThanItsCapAndTheNextRoundContinues() {
    ClusterMap map = Fleets.uniform(2, 10, 2);
    List<String> shards = shards(map.pools().size() * 100 / 3);
    Balancer.Plan first = Balancer.plan(PlacementIndex.of(map), shards, s -> RULE, 1.05, 10);
    assertThat(first.moved()).isEqualTo(10);
    assertThat(first.table()).hasSize(10);
    ClusterMap once = map.withRemaps(first.table());
    Balancer.Plan second = Balancer.plan(PlacementIndex.of(once), shards, s -> RULE, 1.05, 10);
    assertThat(second.table()).containsAll(first.table()).hasSize(20);
    assertThat(second.fillBefore()).isEqualTo(first.fillAfter());
  }

  @Test
  void balancedMapNeedsNoFurtherMoves() {
    ClusterMap map = Fleets.uniform(2, 10, 2);
    List<String> shards = shards(map.pools().size() * 100 / 3);
    Balancer.Plan plan = Balancer.plan(PlacementIndex.of(map), shards, s -> RULE, 1.05, 10_000);
    ClusterMap balanced = map.withRemaps(plan.table());
    Balancer.Plan again =
        Balancer.plan(PlacementIndex.of(balanced), shards, s -> RULE, 1.05, 10_000);
    assertThat(again.moved()).isZero();
    assertThat(again.table()).containsExactlyInAnyOrderElementsOf(plan.table());
  }

  @Test
  void aShardsExceptionsHoldWhateverTheOrderTheyAreListedIn() {
    ClusterMap map = Fleets.uniform(3, 2, 1);
    PlacementRule rule = Fleets.rule(DomainLevel.ROOM, "hot", 2);
    String shard = "ds/order";
    List<Pool> raw = Placement.place(shard, rule, map);
    Pool first = raw.get(0);
    Pool second = raw.get(1);
    String secondRoom = map.ancestor(second, DomainLevel.ROOM).orElseThrow().id();
    String firstRoom = map.ancestor(first, DomainLevel.ROOM).orElseThrow().id();
    // The first copy moves into the second's room, which holds only once the second copy has moved
    // on to the third room: the balancer makes the moves in that order, but lists them by copy.
    Pool intoSecondRoom =
        map.pools().values().stream()
            .filter(p -> !p.equals(second))
            .filter(p -> map.ancestor(p, DomainLevel.ROOM).orElseThrow().id().equals(secondRoom))
            .findFirst()
            .orElseThrow();
    Pool intoThirdRoom =
        map.pools().values().stream()
            .filter(
                p -> {
                  String room = map.ancestor(p, DomainLevel.ROOM).orElseThrow().id();
                  return !room.equals(firstRoom) && !room.equals(secondRoom);
                })
            .findFirst()
            .orElseThrow();
    ClusterMap remapped =
        map.withRemaps(
            List.of(
                new CopyRemap(shard, first.id(), intoSecondRoom.id()),
                new CopyRemap(shard, second.id(), intoThirdRoom.id())));

    assertThat(Placement.place(shard, rule, remapped))
        .containsExactlyInAnyOrder(intoSecondRoom, intoThirdRoom);
  }
}
