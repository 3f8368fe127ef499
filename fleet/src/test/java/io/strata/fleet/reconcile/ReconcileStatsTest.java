package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcileStatsTest {
  private static ShardPlan plan(CopyState state, int objects) {
    return new ShardPlan(List.of(), Map.of(state, objects), List.of(), Map.of());
  }

  @Test
  void aShardSplitWhileItWasPlannedStopsCountingAtTheEndOfTheRound() {
    ReconcileStats stats = new ReconcileStats();
    stats.shardPlanned("ds:a", plan(CopyState.UNDER_REPLICATED, 5_000));
    stats.shardPlanned("ds:b", plan(CopyState.OK, 40));
    // The split forgets the parent, then the round that was planning it records its plan.
    stats.forgetShard("ds:a");
    stats.shardPlanned("ds:a", plan(CopyState.UNDER_REPLICATED, 5_000));
    assertThat(stats.objects()).containsEntry(CopyState.UNDER_REPLICATED, 5_000L);

    stats.retain(Set.of("ds:b", "ds:a.1", "ds:a.2"));

    assertThat(stats.objects())
        .containsEntry(CopyState.UNDER_REPLICATED, 0L)
        .containsEntry(CopyState.OK, 40L);
    assertThat(stats.shards()).containsEntry(CopyState.OK, 1L);
  }
}
