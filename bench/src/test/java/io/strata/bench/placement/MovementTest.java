package io.strata.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strata.topology.ClusterMap;
import org.junit.jupiter.api.Test;

/** The placement benchmark's movement figure: copies moved, and the fewest that must move. */
class MovementTest {
  @Test
  void aCopyMovesWhenItsNewPoolWasNotAmongTheShardsOldPools() {
    int[][] before = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    int[][] after = {{3, 2, 1}, {4, 5, 10}, {11, 12, 9}};

    // Order within a shard does not matter; shard 1 moved one copy, shard 2 two.
    assertThat(PlacementBench.moved(before, after)).isEqualTo(3);
  }

  @Test
  void theOptimumIsTheAddedWeightsShareOfAllCopies() {
    ClusterMap before = BenchFleet.build(2, 4, 2); // 16 pools of equal weight
    ClusterMap after = BenchFleet.withRacksAdded(before, 2, 2); // 4 more

    // 1,000 copies: the 4 new pools of 20 should hold a fifth of them.
    assertThat(PlacementBench.optimum(before, after, 1000)).isCloseTo(200.0, within(1e-9));
  }
}
