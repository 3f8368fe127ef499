package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which racks hold copies of the same shards, by the placement table. */
class SharedShardsTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final PlacementRule HOT =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));

  private static String rackOf(String pool) {
    return MAP.ancestor(MAP.pools().get(pool), DomainLevel.RACK).map(Domain::id).orElseThrow();
  }

  @Test
  void eachRackSharesWithTheRacksOfItsShardsOtherCopiesAndNoOthers() {
    PlacementTable table = new PlacementTable(Placement.placer(MAP).index());
    Shard shard = new Shard("d:0", "d", KeyRange.ALL);
    List<String> pools = table.place(shard, List.of(HOT)).get(HOT);
    String first = rackOf(pools.get(0));
    String second = rackOf(pools.get(1));

    Map<String, Set<String>> shared =
        SharedShards.of(table, Set.of(first, second), DomainLevel.RACK);

    assertThat(shared.get(first)).containsExactly(second);
    assertThat(shared.get(second)).containsExactly(first);
    Set<String> others = new HashSet<>();
    MAP.domains().values().stream()
        .filter(
            d -> d.level() == DomainLevel.RACK && !d.id().equals(first) && !d.id().equals(second))
        .forEach(d -> others.add(d.id()));
    assertThat(SharedShards.of(table, others, DomainLevel.RACK).values())
        .allSatisfy(with -> assertThat(with).isEmpty());
  }
}
