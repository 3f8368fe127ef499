package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a round knows of the queue: here, each hospital's ingest tasks per executing pool. */
class RoundQueueTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  private static QueuedTask queued(String id, String dataset, String pool, TaskPriority priority) {
    Task copy = Task.copy(id, dataset, KeyRange.ALL, "landing", pool, 1);
    return QueuedTask.waiting(new PlannedTask(copy, priority, pool, 100), NOW);
  }

  @Test
  void ingestIsCountedPerDatasetAndPoolFromTheQueueAndAsTheRoundQueues() {
    RoundQueue round =
        new RoundQueue(
            List.of(
                queued("a", "h01-imaging", "p1", TaskPriority.INGEST),
                queued("b", "h01-imaging", "p1", TaskPriority.INGEST),
                queued("c", "h01-imaging", "p2", TaskPriority.INGEST),
                queued("d", "h02-imaging", "p1", TaskPriority.MISSING_COPY)),
            1_000_000,
            0.05);

    assertThat(round.ingestOn("h01-imaging", "p1")).isEqualTo(2);
    assertThat(round.ingestOn("h01-imaging", "p2")).isEqualTo(1);
    assertThat(round.ingestOn("h02-imaging", "p1")).as("a repair is no ingest").isZero();
    assertThat(round.tasksOn("p1")).isEqualTo(3);

    round.queued("h02-imaging", "p1", TaskPriority.INGEST, 100);
    round.queued("h01-imaging", "p1", TaskPriority.TRANSITION, 100);
    assertThat(round.ingestOn("h02-imaging", "p1")).isEqualTo(1);
    assertThat(round.ingestOn("h01-imaging", "p1")).isEqualTo(2);
    assertThat(round.tasksOn("p1")).isEqualTo(5);
  }
}
