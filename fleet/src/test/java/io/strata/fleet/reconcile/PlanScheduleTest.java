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
  void
      aShardIsMovingFromAPlanWithVoluntaryMovementOrHeldDeletionsOrANewPlacementUntilPlannedStill() {
    ShardPlan rebalancing =
        new ShardPlan(
            List.of(
                new PlannedTask(
                    io.strata.protocol.task.Task.copy("c", "ds", KeyRange.ALL, "a", "b", 1),
                    TaskPriority.REBALANCE,
                    "b",
                    10)),
            Map.of(CopyState.MISPLACED, 1),
            List.of(),
            Map.of());
    ShardPlan deletesHeld =
        new ShardPlan(List.of(), Map.of(CopyState.MISPLACED, 1), List.of("a"), Map.of());

    schedule.planned(SHARD, rebalancing, 3, T, T);
    assertThat(schedule.moving()).isEqualTo(1);
    schedule.planned(SHARD, SETTLED, 4, T, T);
    assertThat(schedule.moving()).isZero();
    schedule.planned(SHARD, deletesHeld, 5, T, T);
    assertThat(schedule.moving()).isEqualTo(1);
    schedule.planned(SHARD, MISPLACED, 6, T, T);
    assertThat(schedule.moving()).as("nothing it can move now").isZero();

    schedule.changed(Set.of(SHARD.id()));
    assertThat(schedule.moving()).as("placed again, not planned yet").isEqualTo(1);
    schedule.clear();
    assertThat(schedule.moving()).as("a pool back makes it due, not done").isEqualTo(1);
    schedule.retain(Set.of());
    assertThat(schedule.moving()).as("split away").isZero();
    schedule.changed(Set.of(SHARD.id()));
    schedule.forget();
    assertThat(schedule.moving()).isZero();
  }

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
