package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanScheduleTest {
  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
  private static final Shard SHARD = new Shard("ds:1", "ds", KeyRange.ALL);
  private static final ShardPlan SETTLED =
      new ShardPlan(List.of(), Map.of(CopyState.OK, 10), List.of(), Map.of());
  private static final ShardPlan MISPLACED =
      new ShardPlan(List.of(), Map.of(CopyState.MISPLACED, 1), List.of(), Map.of());

  private final PlanSchedule schedule = new PlanSchedule(Duration.ofHours(1));

  @Test
  void aSettledShardRestsUntilItsScansChange() {
    assertThat(schedule.due(SHARD, 3, T, T)).as("never planned").isTrue();
    schedule.planned(SHARD, SETTLED, 3, T, T);
    assertThat(schedule.due(SHARD, 3, T.plusSeconds(60), T.plusSeconds(60))).isFalse();
    assertThat(schedule.due(SHARD, 4, T.plusSeconds(60), T.plusSeconds(60))).isTrue();
  }

  @Test
  void aSettledShardIsPlannedAgainAfterTheAgeLimitByEitherClock() {
    schedule.planned(SHARD, SETTLED, 3, T, T);
    assertThat(schedule.due(SHARD, 3, T.plus(Duration.ofHours(1)), T)).isTrue();
    assertThat(schedule.due(SHARD, 3, T, T.plus(Duration.ofDays(30)))).as("aged objects").isTrue();
  }

  @Test
  void aShardWithWorkLeftStaysDue() {
    schedule.planned(SHARD, MISPLACED, 3, T, T);
    assertThat(schedule.due(SHARD, 3, T, T)).isTrue();
  }

  @Test
  void aChangedPlacementOrPolicyOrSplitEndsTheRest() {
    schedule.planned(SHARD, SETTLED, 3, T, T);
    schedule.changed(Set.of(SHARD.id()));
    assertThat(schedule.due(SHARD, 3, T, T)).isTrue();

    schedule.planned(SHARD, SETTLED, 3, T, T);
    schedule.datasetChanged("other");
    assertThat(schedule.due(SHARD, 3, T, T)).isFalse();
    schedule.datasetChanged("ds");
    assertThat(schedule.due(SHARD, 3, T, T)).isTrue();

    schedule.planned(SHARD, SETTLED, 3, T, T);
    schedule.retain(Set.of("ds:2", "ds:3"));
    assertThat(schedule.settledCount()).isZero();
  }
}
