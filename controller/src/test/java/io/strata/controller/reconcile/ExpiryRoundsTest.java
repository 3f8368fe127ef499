package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.reconcile.Shard;
import io.strata.protocol.task.KeyRange;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpiryRoundsTest {
  private final ExpiryRounds rounds = new ExpiryRounds();
  private final Shard a = new Shard("a", "ct", new KeyRange("", "m"));
  private final Shard b = new Shard("b", "ct", new KeyRange("m", ""));
  private final List<Shard> dataset = List.of(a, b);

  private boolean done(String expiry) {
    return rounds.plannedWithAll(expiry, rounds.oldestPlan(dataset));
  }

  @Test
  void aShardNotYetPlannedWithTheApprovalKeepsItOpen() {
    rounds.roundStarts(1, List.of());
    rounds.planned("a");
    rounds.planned("b"); // Both planned before the approval.

    rounds.roundStarts(2, List.of("e1"));
    rounds.planned("a");
    assertThat(done("e1")).as("b was planned only before e1 was approved").isFalse();

    rounds.roundStarts(3, List.of("e1"));
    assertThat(done("e1")).as("a round that plans neither changes nothing").isFalse();
    rounds.planned("b");
    assertThat(done("e1")).isTrue();
  }

  @Test
  void anApprovalSeenLaterNeedsEveryShardPlannedAgain() {
    rounds.roundStarts(1, List.of("e1"));
    rounds.planned("a");
    rounds.planned("b");
    assertThat(done("e1")).isTrue();

    rounds.roundStarts(2, List.of("e1", "e2"));
    rounds.planned("a");
    assertThat(done("e1")).isTrue();
    assertThat(done("e2")).as("b not planned with e2").isFalse();
  }

  @Test
  void aNewLeaderPlansEveryShardWithTheApprovalAgain() {
    rounds.roundStarts(1, List.of("e1"));
    rounds.planned("a");
    rounds.forget(); // Led anew: plans of the earlier term do not count.

    rounds.roundStarts(5, List.of("e1"));
    rounds.planned("b");
    assertThat(done("e1")).as("a was planned with e1 in the earlier term only").isFalse();
    rounds.planned("a");
    assertThat(done("e1")).isTrue();
  }

  @Test
  void anApprovalGoneAndBackIsInForceAnew() {
    rounds.roundStarts(1, List.of("e1"));
    rounds.planned("a");
    rounds.roundStarts(2, List.of()); // Not in this round's context.
    rounds.roundStarts(3, List.of("e1"));
    rounds.planned("b");
    assertThat(done("e1")).isFalse();
    assertThat(rounds.plannedWithAll("unknown", Long.MAX_VALUE)).isFalse();
  }

  @Test
  void theHalvesOfASplitShardAreToBePlannedWithIt() {
    rounds.roundStarts(1, List.of("e1"));
    rounds.planned("a");
    rounds.planned("b");
    rounds.retain(Set.of("a", "b1", "b2"));
    Shard b1 = new Shard("b1", "ct", new KeyRange("m", "t"));
    Shard b2 = new Shard("b2", "ct", new KeyRange("t", ""));
    assertThat(rounds.plannedWithAll("e1", rounds.oldestPlan(List.of(a, b1, b2)))).isFalse();
    rounds.planned("b1");
    rounds.planned("b2");
    assertThat(rounds.plannedWithAll("e1", rounds.oldestPlan(List.of(a, b1, b2)))).isTrue();
    assertThat(rounds.plannedWithAll("e1", rounds.oldestPlan(List.of()))).isTrue();
  }
}
