package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupersededTest {
  static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");

  static QueuedTask running(Task task) {
    return new QueuedTask(
        task,
        TaskPriority.TRANSITION,
        task.targetPool(),
        0,
        "agent-1",
        T0,
        null,
        0,
        T0,
        null,
        null,
        0);
  }

  static PlannedTask planned(Task task) {
    return new PlannedTask(task, TaskPriority.TRANSITION, task.targetPool(), 0);
  }

  static Task copy(String id, String target, List<String> keys) {
    return Task.copy(id, "ds", KeyRange.ALL, "src", target, 1).withKeys(keys);
  }

  @Test
  void aRunningCopyOfAWholeRangeGoesOnWhileAnyCopyOfTheSameMoveIsPlanned() {
    QueuedTask range = running(Task.copy("range", "ds", KeyRange.ALL, "src", "p1", 1));

    assertThat(
            Superseded.of(List.of(range), List.of(planned(copy("k", "p1", List.of("a"))))).stop())
        .isEmpty();
    assertThat(
            Superseded.of(List.of(range), List.of(planned(copy("k", "p2", List.of("a"))))).stop())
        .containsExactly("range");
  }

  @Test
  void aRepairIsNotTheSameMoveAsAPlainCopyOfTheSameKeys() {
    QueuedTask repair = running(copy("repair", "p1", List.of("a")).asRepair());

    assertThat(
            Superseded.of(List.of(repair), List.of(planned(copy("plain", "p1", List.of("a")))))
                .stop())
        .containsExactly("repair");
    assertThat(
            Superseded.of(
                    List.of(repair),
                    List.of(planned(copy("again", "p1", List.of("a", "b")).asRepair())))
                .stop())
        .isEmpty();
  }
}
