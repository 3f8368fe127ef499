package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MovementBudgetsTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
  private static final long MIB = 1L << 20;

  private static QueuedTask copy(
      String id, String from, String to, TaskPriority priority, long bytes, String policy) {
    Task task = Task.copy(id, "ds", KeyRange.ALL, from, to, 1);
    return QueuedTask.waiting(new PlannedTask(task, priority, to, bytes, policy, 50), T);
  }

  /** 100 MiB/s through each rack. */
  private static MovementBudgets rackBudget() {
    return new MovementBudgets(() -> new MovementBudgets.Rates(100 * MIB, 0, Map.of()), () -> MAP);
  }

  /** 300 MiB out of rack czzl-a-r01. */
  private static QueuedTask bigCopy() {
    return copy(
        "a", "czzl-a-r01-hot", "lytm-a-r01-hot", TaskPriority.MISSING_COPY, 300 * MIB, null);
  }

  /** 1 MiB out of the same rack. */
  private static QueuedTask nextCopy() {
    return copy("b", "czzl-a-r01-hot", "czzl-b-r01-hot", TaskPriority.MISSING_COPY, MIB, null);
  }

  @Test
  void aRackBudgetLetsOneLargeCopyThroughThenWaitsUntilTheRateHasPaidItBack() {
    MovementBudgets budgets = rackBudget();
    QueuedTask big = bigCopy();
    QueuedTask next = nextCopy();
    QueuedTask elsewhere =
        copy("c", "czzl-b-r02-cold", "lytm-b-r01-cold", TaskPriority.REBALANCE, MIB, "p");

    assertThat(budgets.admits(big, T)).isTrue();
    budgets.charge(big, T);
    assertThat(budgets.admits(next, T)).as("its rack paid out 300 MiB of 100").isFalse();
    assertThat(budgets.admits(elsewhere, T)).as("other racks").isTrue();
    assertThat(budgets.admits(next, T.plusSeconds(2))).isFalse();
    assertThat(budgets.admits(next, T.plusMillis(2_010))).as("200 MiB paid back").isTrue();
  }

  @Test
  void aHeldCopyIsAdmittedFromTheMomentItsBudgetsHavePaidBack() {
    MovementBudgets budgets = rackBudget();
    QueuedTask big = bigCopy();
    QueuedTask next = nextCopy();
    assertThat(budgets.admitsAt(big, T)).as("admitted now").isEqualTo(T);
    budgets.charge(big, T);

    Instant at = budgets.admitsAt(next, T);
    assertThat(at)
        .as("200 MiB below zero at 100 MiB/s")
        .isBetween(T.plusSeconds(2), T.plusMillis(2_010));
    assertThat(budgets.admitsAt(next, T.plusSeconds(1)))
        .as("asked later, the same moment")
        .isBetween(at.minusNanos(1_000), at.plusNanos(1_000));
    assertThat(budgets.admits(next, at.minusMillis(2))).isFalse();
    assertThat(budgets.admits(next, at)).isTrue();
  }

  @Test
  void aPolicysBandwidthCapsItsVoluntaryMovementButNotRepairs() {
    MovementBudgets budgets =
        new MovementBudgets(
            () -> new MovementBudgets.Rates(0, 0, Map.of("imaging", 10 * MIB)), () -> MAP);
    QueuedTask transition =
        copy(
            "t", "czzl-a-r01-hot", "czzl-a-r02-warm", TaskPriority.TRANSITION, 20 * MIB, "imaging");
    budgets.charge(transition, T);

    assertThat(
            budgets.admits(
                copy(
                    "t2",
                    "lytm-a-r01-hot",
                    "lytm-a-r02-warm",
                    TaskPriority.TRANSITION,
                    MIB,
                    "imaging"),
                T))
        .as("anywhere in the fleet")
        .isFalse();
    assertThat(
            budgets.admits(
                copy(
                    "o",
                    "lytm-a-r01-hot",
                    "lytm-a-r02-warm",
                    TaskPriority.TRANSITION,
                    MIB,
                    "other"),
                T))
        .isTrue();
    assertThat(
            budgets.admits(
                copy("r", "lytm-a-r01-hot", "czzl-b-r01-hot", TaskPriority.DATA_AT_RISK, MIB, null),
                T))
        .as("a repair")
        .isTrue();
  }

  @Test
  void aRoomBudgetCountsEveryCopyThroughTheRoom() {
    MovementBudgets budgets =
        new MovementBudgets(() -> new MovementBudgets.Rates(0, 5 * MIB, Map.of()), () -> MAP);
    budgets.charge(
        copy("x", "czzl-a-r01-hot", "lytm-a-r01-hot", TaskPriority.DATA_AT_RISK, 6 * MIB, null), T);

    assertThat(
            budgets.admits(
                copy("y", "czzl-a-r02-warm", "czzl-b-r02-cold", TaskPriority.REBALANCE, MIB, "p"),
                T))
        .as("the source's room is spent")
        .isFalse();
    assertThat(budgets.admits(copy("s", "czzl-a-r01-hot", "x", TaskPriority.SCAN, 0, null), T))
        .as("scans move no bytes")
        .isTrue();
  }

  @Test
  void amongTasksOfOnePriorityTheHigherPolicyPriorityLeasesFirst() {
    Task t = Task.copy("low", "ds", KeyRange.ALL, "a", "b", 1);
    Task u = Task.copy("high", "ds", KeyRange.ALL, "a", "b", 1);
    QueuedTask low =
        QueuedTask.waiting(new PlannedTask(t, TaskPriority.TRANSITION, "b", 1, "p", 10), T);
    QueuedTask high =
        QueuedTask.waiting(
            new PlannedTask(u, TaskPriority.TRANSITION, "b", 1, "q", 90), T.plusSeconds(5));
    QueuedTask repair =
        QueuedTask.waiting(new PlannedTask(t, TaskPriority.MISSING_COPY, "b", 1), T.plusSeconds(9));
    List<QueuedTask> order = new ArrayList<>(List.of(low, high, repair));
    order.sort(QueuedTask.ORDER);
    assertThat(order).containsExactly(repair, high, low);
  }

  @Test
  void aPoolsScrubsReadWithinItsScrubBudgetAndCopiesDoNotDrawOnIt() {
    MovementBudgets budgets =
        new MovementBudgets(() -> MovementBudgets.Rates.NONE, () -> MAP, 100 * MIB);
    QueuedTask scrub =
        QueuedTask.waiting(
            new PlannedTask(
                Task.verify("v1", "ds", KeyRange.ALL, "czzl-a-r01-hot", 1),
                TaskPriority.SCAN,
                "czzl-a-r01-hot",
                300 * MIB),
            T);
    QueuedTask next =
        QueuedTask.waiting(
            new PlannedTask(
                Task.verify("v2", "ds", KeyRange.ALL, "czzl-a-r01-hot", 1),
                TaskPriority.SCRUB_DEADLINE,
                "czzl-a-r01-hot",
                MIB),
            T);

    budgets.charge(scrub, T);

    assertThat(budgets.admits(next, T)).as("300 MiB read of 100").isFalse();
    assertThat(budgets.admits(next, T.plusMillis(2_010))).isTrue();
    assertThat(
            budgets.admits(
                copy("c", "czzl-a-r01-hot", "lytm-a-r01-hot", TaskPriority.MISSING_COPY, MIB, null),
                T))
        .as("copies have budgets of their own")
        .isTrue();
  }
}
