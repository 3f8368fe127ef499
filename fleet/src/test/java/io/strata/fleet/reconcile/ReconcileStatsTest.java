package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.capacity.AgeProfile;
import io.strata.fleet.capacity.CapacitySample;
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

  private static ShardPlan stocked(String dataset, java.time.Instant at, long[] ages) {
    return new ShardPlan(
        List.of(),
        Map.of(CopyState.OK, 1),
        List.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        null,
        new ShardStock(dataset, at, Map.of("imaging", ShardStock.Ages.of(ages))));
  }

  @Test
  void aDatasetsBytesAddUpOverItsShardsAgedSinceEachWasPlannedAndOnlyOnceAllAre() {
    java.time.Instant now = java.time.Instant.parse("2026-12-06T12:00:00Z");
    ReconcileStats stats = new ReconcileStats();
    // One shard planned today, one settled ten days ago, when its data was 80 days old.
    stats.shardPlanned("a:0", stocked("a-imaging", now, AgeProfile.add(new long[0], 0, 30)));
    stats.shardPlanned(
        "a:1",
        stocked(
            "a-imaging",
            now.minus(java.time.Duration.ofDays(10)),
            AgeProfile.add(new long[0], 80, 70)));
    stats.shardPlanned("b:0", stocked("b-imaging", now, AgeProfile.add(new long[0], 5, 1)));

    List<CapacitySample.DatasetBytes> counted =
        stats.stock(
            now, Map.of("a-imaging", List.of("a:0", "a:1"), "b-imaging", List.of("b:0", "b:1")));

    // b-imaging's second shard has no plan yet: left out rather than counted short.
    assertThat(counted).hasSize(1);
    CapacitySample.DatasetBytes a = counted.get(0);
    assertThat(a.dataset()).isEqualTo("a-imaging");
    assertThat(a.policy()).isEqualTo("imaging");
    assertThat(a.bytes()).isEqualTo(100);
    assertThat(a.ages()[0]).isEqualTo(30);
    assertThat(a.ages()[90]).isEqualTo(70);
    // Written as far as the oldest bucket that holds bytes.
    assertThat(a.ages()).hasSize(91);
  }
}
