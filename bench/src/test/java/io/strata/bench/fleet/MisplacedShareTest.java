package io.strata.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.bench.placement.BenchFleet;
import io.strata.fleet.reconcile.Shard;
import io.strata.protocol.task.KeyRange;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import io.strata.topology.placement.TierCopies;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code misplaced_peak}'s samples: the share of wanted copies not where placement wants them. */
class MisplacedShareTest {
  // Two rooms of one pool each, two copies in distinct rooms: every shard wants both pools.
  private static final ClusterMap MAP = BenchFleet.build(2, 1, 1);
  private static final PlacementRule RULE =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies(BenchFleet.TIER, 2)));
  private static final List<Shard> SHARDS =
      List.of(
          new Shard("d:0", "d", new KeyRange("", "s0000001/")),
          new Shard("d:1", "d", new KeyRange("s0000001/", "s0000002/")),
          new Shard("d:2", "d", new KeyRange("s0000002/", "")));

  @Test
  void countsCopiesMissingAndCopiesOnPoolsThatDoNotAnswer() {
    Placer placer = Placement.placer(MAP);
    List<String> pools = MAP.pools().values().stream().map(Pool::id).sorted().toList();
    assertThat(pools).hasSize(2);
    SimPools held = new SimPools();
    pools.forEach(held::add);
    for (int i = 0; i < SHARDS.size(); i++) {
      assertThat(placer.place(SHARDS.get(i).placementKey(), RULE)).hasSize(2);
      for (String pool : pools) {
        held.put(pool, key(i), new SimPools.SimObject(1, "0".repeat(64), Instant.EPOCH));
      }
    }

    assertThat(FleetSim.misplacedShare(SHARDS, placer, RULE, held)).as("all in place").isZero();

    held.remove(pools.get(0), key(1));
    assertThat(FleetSim.misplacedShare(SHARDS, placer, RULE, held))
        .as("one of six copies gone")
        .isEqualTo(1.0 / 6);

    held.setReachable(pools.get(1), false);
    assertThat(FleetSim.misplacedShare(SHARDS, placer, RULE, held))
        .as("and the three on a pool that does not answer")
        .isEqualTo(4.0 / 6);
  }

  @Test
  void noShardsWantNothing() {
    assertThat(FleetSim.misplacedShare(List.of(), Placement.placer(MAP), RULE, new SimPools()))
        .isZero();
  }

  @Test
  void shardPrefixesAndObjectKeysAreTheFormatsTheShardMapAndPoolsUse() {
    assertThat(SimController.shardPrefix(0)).isEqualTo("s0000000/");
    assertThat(SimController.shardPrefix(1)).isEqualTo(SHARDS.get(1).range().start());
    assertThat(SimController.shardPrefix(999_999)).isEqualTo("s0999999/");
    assertThat(SimController.shardPrefix(1_234_567)).isEqualTo("s1234567/");
    assertThat(SimController.objectKey("s0000001/", 0)).isEqualTo("s0000001/obj-0000");
    assertThat(SimController.objectKey("s0000001/", 15)).isEqualTo("s0000001/obj-0015");
    assertThat(SimController.objectKey("s0000001/", 12_345)).isEqualTo("s0000001/obj-12345");
  }

  /** The object that stands for shard {@code i}. */
  private static String key(int i) {
    return SimController.shardPrefix(i) + "obj-0000";
  }
}
