package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyRange;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.KeyTally;
import io.strata.agent.task.Task;
import io.strata.agent.task.TaskResult;
import io.strata.agent.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScrubsTest {
  static final Duration INTERVAL = Duration.ofDays(30);
  static final Instant NOW = Instant.parse("2026-11-30T04:00:00Z");
  static final Task VERIFY = Task.verify("v", "ds", KeyRange.ALL, "p1", 1);

  static TaskResult result(Task task, KeyOutcome... outcomes) {
    KeyTally tally = new KeyTally();
    for (KeyOutcome o : outcomes) {
      tally.add(o);
    }
    return TaskResult.of(task, TaskState.SUCCEEDED, tally, null);
  }

  static KeyOutcome wrong(String key) {
    return KeyOutcome.because(key, KeyStatus.MISMATCH, "content has another SHA-256");
  }

  @Test
  void aNewLeaderSpreadsItsFirstScrubsOverOneInterval() {
    Scrubs scrubs = new Scrubs(INTERVAL);
    int dueAtOnce = 0;
    int dueWithinTheInterval = 0;
    for (int shard = 0; shard < 200; shard++) {
      dueAtOnce += scrubs.due("s" + shard, "p1", NOW) ? 1 : 0;
      dueWithinTheInterval += scrubs.due("s" + shard, "p1", NOW.plus(INTERVAL)) ? 1 : 0;
    }

    assertThat(dueAtOnce).as("due on the first round").isLessThan(10);
    assertThat(dueWithinTheInterval).as("due within one interval").isEqualTo(200);
  }

  @Test
  void aQueuedScrubIsDueAgainAfterTheInterval() {
    Scrubs scrubs = new Scrubs(INTERVAL);
    scrubs.queued("s", "p1", NOW);

    assertThat(scrubs.due("s", "p1", NOW.plus(INTERVAL).minusSeconds(1))).isFalse();
    assertThat(scrubs.due("s", "p1", NOW.plus(INTERVAL))).isTrue();
  }

  @Test
  void aScrubReplacesWhatWasKnownOfItsPoolAndARepairClearsWhatItFixed() {
    Scrubs scrubs = new Scrubs(INTERVAL);
    scrubs.verified("s", "p1", result(VERIFY, wrong("a"), wrong("b"), wrong("c")));
    scrubs.verified("other", "p1", result(VERIFY, wrong("z")));
    assertThat(scrubs.wrongIn("s")).isEqualTo(Map.of("p1", Set.of("a", "b", "c")));
    assertThat(scrubs.wrongCopies()).isEqualTo(4);

    Task repair =
        Task.copy("r", "ds", KeyRange.ALL, "p2", "p1", 1).withKeys(List.of("a", "b")).asRepair();
    scrubs.repaired(
        "s", "p1", repair.keys(), result(repair, KeyOutcome.because("b", KeyStatus.FAILED, "x")));
    assertThat(scrubs.wrongIn("s"))
        .as("b failed to repair")
        .isEqualTo(Map.of("p1", Set.of("b", "c")));

    scrubs.verified("s", "p1", result(VERIFY));
    assertThat(scrubs.wrongIn("s")).isEmpty();
    scrubs.forgetShard("other");
    assertThat(scrubs.wrongCopies()).isZero();
  }

  @Test
  void aScrubThatFoundMoreThanItNamesIsDueAgain() {
    Scrubs scrubs = new Scrubs(INTERVAL);
    scrubs.queued("s", "p1", NOW);
    KeyOutcome[] many = new KeyOutcome[KeyTally.NAMED_PER_STATUS + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = wrong(String.format("k%05d", i));
    }

    scrubs.verified("s", "p1", result(VERIFY, many));

    assertThat(scrubs.wrongCopies()).isEqualTo(KeyTally.NAMED_PER_STATUS);
    assertThat(scrubs.due("s", "p1", NOW.plusSeconds(1))).isTrue();
  }
}
