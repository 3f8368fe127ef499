package io.strata.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskState;
import io.strata.runtime.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

  @Test
  void aTaskStillListingHasNoEtaUntilItsListingEnds() {
    Task task = Task.copy("t-4", "ds", KeyRange.ALL, "p1", "p2", 3);
    TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    ProgressTracker progress = new ProgressTracker(task, clock);
    progress.state(TaskState.RUNNING);
    Iterator<String> keys = progress.listing(List.of("a", "b").iterator());
    while (keys.hasNext()) {
      keys.next();
      progress.addWork(1, 100);
      progress.bytesDone(50);
      clock.advance(Duration.ofSeconds(1));
      // The first half of what is listed so far is done: an ETA would say "as long again".
      assertThat(progress.snapshot().listing()).isTrue();
      assertThat(progress.snapshot().eta()).isNull();
    }
    assertThat(progress.snapshot().listing()).isFalse();
    assertThat(progress.snapshot().eta()).isEqualTo(Duration.ofSeconds(2));

    progress.state(TaskState.SUCCEEDED);
    assertThat(progress.snapshot().eta()).isEqualTo(Duration.ZERO);
  }
}
