package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.Tier;
import io.strata.topology.placement.Balancer;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BalancingTest {
  private static final ClusterMap MAP = fleet(2, 12);
  private static final PlacementRule HOT =
      new PlacementRule(DomainLevel.RACK, List.of(new TierCopies("hot-nvme", 2)));

  /** {@code rooms} rooms of {@code racks} racks, one hot pool each. */
  private static ClusterMap fleet(int rooms, int racks) {
    List<Domain> domains = new ArrayList<>();
    List<Pool> pools = new ArrayList<>();
    domains.add(new Domain("reg", DomainLevel.REGION, null, null, null));
    domains.add(new Domain("site", DomainLevel.SITE, "reg", null, null));
    for (int m = 0; m < rooms; m++) {
      domains.add(new Domain("room" + m, DomainLevel.ROOM, "site", null, null));
      for (int k = 0; k < racks; k++) {
        String rack = "room" + m + "-k" + k;
        domains.add(new Domain(rack, DomainLevel.RACK, "room" + m, null, null));
        domains.add(new Domain(rack + "-n", DomainLevel.NODE, rack, null, null));
        pools.add(
            new Pool(
                rack + "-p",
                rack + "-n",
                "hot-nvme",
                "http://" + rack,
                1L << 40,
                "env:X",
                null,
                1));
      }
    }
    return ClusterMap.of(
        1, List.of(new Tier("hot-nvme", "nvme", "3 copies", 100, 0.85)), domains, pools);
  }

  private static PlacementTable table(ClusterMap map, int shards) {
    PlacementTable table = new PlacementTable(PlacementIndex.of(map));
    for (int i = 0; i < shards; i++) {
      table.place(new Shard("ds:" + i, "ds", KeyRange.ALL), List.of(HOT));
    }
    return table;
  }

  /** Shards hold 100 to 199 objects: fill is measured in objects, not in shard copies. */
  private static double objects(Shard shard, List<String> pools) {
    return 100 + Math.floorMod(shard.id().hashCode(), 100);
  }

  @Test
  void itEvensTheTierByWhatTheCopiesHoldAndTheMapKeepsItsExceptions() {
    PlacementTable table = table(MAP, 600);
    Balancer.Plan plan = Balancing.plan(table, BalancingTest::objects, 1.05, 10_000);
    assertThat(plan.tierFill()).containsKey("hot-nvme");
    assertThat(plan.moved()).isPositive();

    ClusterMap balanced = MAP.withRemaps(plan.table());
    PlacementTable.Changes changes = table.update(PlacementIndex.of(balanced));
    assertThat(changes.changed())
        .as("only the shards the exceptions name")
        .containsExactlyInAnyOrderElementsOf(
            plan.table().stream().map(r -> r.shard()).distinct().toList());
    assertThat(changes.repairs()).isEmpty();
    Balancer.Plan measured = Balancing.plan(table, BalancingTest::objects, 1.05, 0);
    assertThat(measured.moved()).isZero();
    assertThat(measured.tierFill().get("hot-nvme"))
        .isEqualTo(plan.tierFill().get("hot-nvme"))
        .isLessThan(Balancing.plan(table(MAP, 600), BalancingTest::objects, 1.05, 0).fillBefore());
  }

  @Test
  void everyStepsExceptionsTakeEffectSoItConvergesWithoutProposingTheSameMoveAgain() {
    // Three rooms of eight racks, two copies in two rooms: moves often need a shard's other copy
    // out of the way first, which the map's exceptions must apply whatever their order.
    ClusterMap map = fleet(3, 8);
    PlacementRule rule =
        new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));
    PlacementTable table = new PlacementTable(PlacementIndex.of(map));
    for (int i = 0; i < 384; i++) {
      table.place(
          new Shard("h01-imaging:" + (100 + i), "h01-imaging", KeyRange.ALL), List.of(rule));
    }
    int steps = 0;
    Balancer.Plan plan = Balancing.plan(table, BalancingTest::objects, 1.05, 19);
    while (plan.moved() > 0) {
      assertThat(steps++).as("steps to converge").isLessThan(30);
      ClusterMap next = map.withRemaps(plan.table());
      assertThat(next.remaps())
          .as("step %d changes the exceptions", steps)
          .isNotEqualTo(map.remaps());
      PlacementTable.Changes changes = table.update(PlacementIndex.of(next));
      assertThat(changes.changed()).as("step %d moves shards", steps).isNotEmpty();
      map = next;
      plan = Balancing.plan(table, BalancingTest::objects, 1.05, 19);
    }
    assertThat(plan.fillBefore()).isLessThanOrEqualTo(1.05);
    ClusterMap done = map;
    table.forEach(
        (shard, r, pools) ->
            assertThat(pools)
                .as(shard.id())
                .isEqualTo(
                    io.strata.topology.placement.Placement.place(shard.placementKey(), r, done)
                        .stream()
                        .map(Pool::id)
                        .toList()));
  }

  @Test
  void itHoldsBackWhilePausedDrainingMissingCopiesMovingOrNotKnowingEveryShard() {
    RoundQueue idle = new RoundQueue(List.of(), 1000, 0.05);
    assertThat(Balancing.held(MAP, false, 0, idle, 0, 10, 10)).isEmpty();
    assertThat(Balancing.held(MAP, true, 0, idle, 0, 10, 10)).contains("paused");
    Pool pool = MAP.pools().values().iterator().next();
    assertThat(
            Balancing.held(
                MAP.withPool(pool.withState(DomainState.DRAINING)), false, 0, idle, 0, 10, 10))
        .hasValueSatisfying(r -> assertThat(r).contains("draining"));
    assertThat(Balancing.held(MAP, false, 3, idle, 0, 10, 10)).contains("copies are missing");
    assertThat(Balancing.held(MAP, false, 0, idle, 0, 10, 9))
        .contains("not every shard is planned yet");

    assertThat(Balancing.held(MAP, false, 0, queueWith(TaskPriority.REBALANCE), 0, 10, 10))
        .contains("voluntary movement is under way");
    assertThat(Balancing.held(MAP, false, 0, idle, 2, 10, 10))
        .contains("2 shards have not finished moving their copies");
    assertThat(Balancing.held(MAP, false, 0, queueWith(TaskPriority.MISSING_COPY), 0, 10, 10))
        .contains("copies are missing");
  }

  /** A round's queue holding one copy of {@code priority}. */
  private static RoundQueue queueWith(TaskPriority priority) {
    Task copy = Task.copy("c", "ds", KeyRange.ALL, "a", "b", 1);
    return new RoundQueue(
        List.of(QueuedTask.waiting(new PlannedTask(copy, priority, "b", 10), Instant.EPOCH)),
        1000,
        0.05);
  }
}
