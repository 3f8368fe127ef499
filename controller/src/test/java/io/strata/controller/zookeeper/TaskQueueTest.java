package io.strata.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.jackson.Jackson;
import io.strata.controller.TestZooKeeper;
import io.strata.fleet.reconcile.MovementBudgets;
import io.strata.fleet.reconcile.PlannedTask;
import io.strata.fleet.reconcile.QueuedTask;
import io.strata.fleet.reconcile.RackBudget;
import io.strata.fleet.reconcile.TaskPriority;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.VerifiedCopy;
import io.strata.runtime.TestTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The task queue against a real (embedded) ZooKeeper, as the leader uses it. */
class TaskQueueTest {
  static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(60);
  static final KeyRange SHARD = new KeyRange("a", "m");

  TestZooKeeper zookeeper;
  CuratorFramework curator;
  Leadership leadership;
  TaskQueue queue;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    curator = zookeeper.client();
    leadership = new Leadership(curator, "replica-1");
    leadership.start();
    await("leadership").atMost(TestTimeouts.TIMEOUT).until(leadership::isLeader);
    queue = new TaskQueue(curator, leadership, Jackson.newObjectMapper());
    queue.load();
  }

  @AfterEach
  void stop() throws Exception {
    leadership.stop();
    zookeeper.close();
  }

  static PlannedTask copy(String id, String target, TaskPriority priority) {
    return new PlannedTask(
        Task.copy(id, "ds", SHARD, "src", target, 1).withKeys(List.of("b")), priority, target, 10);
  }

  static PlannedTask delete(String id, String pool, KeyRange shard) {
    DeleteProof proof =
        new DeleteProof(1, 1, Map.of("b", List.of(new VerifiedCopy("other", 10, "a".repeat(64)))));
    return new PlannedTask(
        Task.deleteCopy(id, "ds", shard, pool, 1, proof).withKeys(List.of("b")),
        TaskPriority.REBALANCE,
        pool,
        0);
  }

  List<String> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  @Test
  void leasesTheServedPoolsTasksMostUrgentFirst() throws Exception {
    queue.enqueue(copy("rebalance", "p1", TaskPriority.REBALANCE), T0);
    queue.enqueue(copy("at-risk", "p1", TaskPriority.DATA_AT_RISK), T0.plusSeconds(1));
    queue.enqueue(copy("elsewhere", "p2", TaskPriority.DATA_AT_RISK), T0);

    assertThat(ids(queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE))).containsExactly("at-risk");
    assertThat(ids(queue.lease("agent-1", Set.of("p1"), 4, T0, LEASE)))
        .containsExactly("rebalance");
    assertThat(queue.lease("agent-1", Set.of("p1"), 4, T0, LEASE)).as("all leased").isEmpty();
    assertThat(queue.get("at-risk").orElseThrow().agent()).isEqualTo("agent-1");
  }

  @Test
  void workThatBecomesLeasableIsSignalledByItsExecutorPoolAndFailedWorkIsNot() throws Exception {
    List<String> signalled = new java.util.concurrent.CopyOnWriteArrayList<>();
    queue.onWork(signalled::add);
    assertThat(queue.hasLeasable(Set.of("p1"), T0)).isFalse();

    queue.enqueue(copy("c", "p1", TaskPriority.MISSING_COPY), T0);
    assertThat(signalled).containsExactly("p1");
    assertThat(queue.hasLeasable(Set.of("p1", "p2"), T0)).isTrue();
    assertThat(queue.hasLeasable(Set.of("p2"), T0)).isFalse();

    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);
    assertThat(queue.hasLeasable(Set.of("p1"), T0)).as("leased").isFalse();
    queue.release("c"); // Its agent stopped it.
    assertThat(signalled).containsExactly("p1", "p1");
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);
    queue.expireLeases(T0.plus(LEASE).plusSeconds(1));
    assertThat(signalled).containsExactly("p1", "p1", "p1");

    queue.lease("agent-1", Set.of("p1"), 1, T0.plus(LEASE).plusSeconds(1), LEASE);
    queue.failed("c", T0.plus(LEASE).plusSeconds(1));
    assertThat(signalled).as("backing off: not leasable yet").hasSize(3);
    assertThat(queue.hasLeasable(Set.of("p1"), T0.plus(LEASE).plusSeconds(1))).isFalse();
    assertThat(queue.leasable(T0.plus(LEASE).plusSeconds(1)).pools()).isEmpty();
    assertThat(queue.leasable(T0.plus(LEASE).plusSeconds(60)).pools()).containsExactly("p1");
  }

  @Test
  void aTaskBackingOffAfterAFailureWaitsItsTurn() throws Exception {
    queue.enqueue(copy("c", "p1", TaskPriority.MISSING_COPY), T0);
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);
    queue.failed("c", T0);

    assertThat(queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE)).as("backing off").isEmpty();
    assertThat(ids(queue.lease("agent-1", Set.of("p1"), 1, T0.plusSeconds(60), LEASE)))
        .containsExactly("c");
  }

  @Test
  void oneDeleteOfAShardRunsAtATime() throws Exception {
    queue.enqueue(delete("d1", "p1", SHARD), T0);
    queue.enqueue(delete("d2", "p2", SHARD), T0.plusSeconds(1));
    queue.enqueue(delete("other-shard", "p2", new KeyRange("m", null)), T0.plusSeconds(2));

    assertThat(ids(queue.lease("agent-1", Set.of("p1", "p2"), 4, T0, LEASE)))
        .containsExactly("d1", "other-shard");
    assertThat(queue.lease("agent-2", Set.of("p2"), 4, T0, LEASE)).as("d1 still runs").isEmpty();

    queue.complete("d1");
    assertThat(ids(queue.lease("agent-2", Set.of("p2"), 4, T0, LEASE))).containsExactly("d2");
  }

  @Test
  void aLeaseIsWrittenAgainOnlyOnceHalfOfItHasPassed() throws Exception {
    queue.enqueue(copy("c", "p1", TaskPriority.MISSING_COPY), T0);
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);
    int written = version("c");

    queue.renew("agent-1", Set.of("c"), T0.plusSeconds(10), LEASE);
    assertThat(version("c")).as("40 s of 60 left: not written").isEqualTo(written);
    assertThat(queue.get("c").orElseThrow().leaseUntil()).isEqualTo(T0.plus(LEASE));

    queue.renew("agent-1", Set.of("c"), T0.plusSeconds(31), LEASE);
    assertThat(version("c")).isEqualTo(written + 1);
    assertThat(queue.get("c").orElseThrow().leaseUntil()).isEqualTo(T0.plusSeconds(91));

    queue.renew("agent-2", Set.of("c"), T0.plusSeconds(80), LEASE);
    assertThat(queue.get("c").orElseThrow().agent()).as("not its task").isEqualTo("agent-1");
  }

  @Test
  void aNewLeaderResumesTheQueueWithItsLeasesAndTurns() throws Exception {
    queue.enqueue(delete("d1", "p1", SHARD), T0);
    queue.enqueue(delete("d2", "p2", SHARD), T0.plusSeconds(1));
    queue.enqueue(copy("c", "p2", TaskPriority.REBALANCE), T0.plusSeconds(2));
    queue.lease("agent-1", Set.of("p1"), 4, T0, LEASE);

    TaskQueue resumed = new TaskQueue(curator, leadership, Jackson.newObjectMapper());
    resumed.load();

    assertThat(ids(resumed.lease("agent-2", Set.of("p2"), 4, T0, LEASE))).containsExactly("c");
    assertThat(ids(resumed.lease("agent-2", Set.of("p2"), 4, T0, LEASE)))
        .as("d1 runs: d2 waits")
        .isEmpty();
    assertThat(resumed.expireLeases(T0.plus(LEASE).plusSeconds(1))).as("d1 and c").isEqualTo(2);
    assertThat(ids(resumed.lease("agent-2", Set.of("p2"), 4, T0.plusSeconds(61), LEASE)))
        .containsExactly("d2", "c");
  }

  @Test
  void cancellingRemovesAWaitingTaskAndAsksTheAgentOfALeasedOne() throws Exception {
    queue.enqueue(copy("waiting", "p1", TaskPriority.REBALANCE), T0);
    queue.enqueue(copy("running", "p1", TaskPriority.MISSING_COPY), T0);
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);

    assertThat(queue.cancel("waiting", "by hand")).isEqualTo(TaskQueue.Cancel.REMOVED);
    assertThat(queue.get("waiting")).isEmpty();
    assertThat(curator.checkExists().forPath(ZkPaths.task("waiting"))).isNull();
    assertThat(queue.cancel("running", "by hand")).isEqualTo(TaskQueue.Cancel.ASKED);
    assertThat(queue.cancel("running", "again")).as("idempotent").isEqualTo(TaskQueue.Cancel.ASKED);
    assertThat(queue.cancel("unknown", "by hand")).isEqualTo(TaskQueue.Cancel.UNKNOWN);
    assertThat(queue.toStop("agent-1", Set.of("running"))).containsExactly("running");

    // A new leader goes on asking, and drops it once its lease lapses rather than re-leasing it.
    TaskQueue resumed = new TaskQueue(curator, leadership, Jackson.newObjectMapper());
    resumed.load();
    assertThat(resumed.get("running").orElseThrow().cancelReason()).isEqualTo("by hand");
    assertThat(resumed.toStop("agent-1", Set.of("running"))).containsExactly("running");
    resumed.expireLeases(T0.plus(LEASE).plusSeconds(1));
    assertThat(resumed.get("running")).isEmpty();
    assertThat(resumed.lease("agent-1", Set.of("p1"), 4, T0.plus(LEASE), LEASE)).isEmpty();
  }

  @Test
  void aTaskRunOnPastItsLeaseIsLeasedBackOrStopped() throws Exception {
    queue.enqueue(copy("c", "p1", TaskPriority.MISSING_COPY), T0);
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);
    Instant lapsed = T0.plus(LEASE).plusSeconds(1);
    queue.expireLeases(lapsed);

    // Still waiting when agent-1 is heard again: it keeps it.
    queue.renew("agent-1", Set.of("c"), lapsed, LEASE);
    assertThat(queue.get("c").orElseThrow().agent()).isEqualTo("agent-1");
    assertThat(queue.toStop("agent-1", Set.of("c"))).isEmpty();

    // Leased to agent-2 meanwhile: agent-1 stops it. A task gone from the queue is stopped too.
    Instant lapsedAgain = lapsed.plus(LEASE).plusSeconds(1);
    queue.expireLeases(lapsedAgain);
    assertThat(ids(queue.lease("agent-2", Set.of("p1"), 1, lapsedAgain, LEASE)))
        .containsExactly("c");
    queue.renew("agent-1", Set.of("c", "gone"), lapsedAgain, LEASE);
    assertThat(queue.get("c").orElseThrow().agent()).isEqualTo("agent-2");
    assertThat(queue.toStop("agent-1", Set.of("c", "gone"))).containsExactlyInAnyOrder("c", "gone");
    assertThat(queue.toStop("agent-2", Set.of("c"))).isEmpty();
  }

  @Test
  void aDeleteRunOnPastItsLeaseIsStoppedWhileAnotherDeleteOfItsShardRuns() throws Exception {
    queue.enqueue(delete("d1", "p1", SHARD), T0);
    queue.enqueue(delete("d2", "p2", SHARD), T0.plusSeconds(1));
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);
    Instant lapsed = T0.plus(LEASE).plusSeconds(1);
    queue.expireLeases(lapsed);
    assertThat(ids(queue.lease("agent-2", Set.of("p2"), 1, lapsed, LEASE))).containsExactly("d2");

    queue.renew("agent-1", Set.of("d1"), lapsed, LEASE);
    assertThat(queue.get("d1").orElseThrow().leased()).isFalse();
    assertThat(queue.toStop("agent-1", Set.of("d1"))).containsExactly("d1");
  }

  static PlannedTask copy(String id, String target, List<String> keys) {
    return new PlannedTask(
        Task.copy(id, "ds", SHARD, "src", target, 1).withKeys(keys),
        TaskPriority.REBALANCE,
        target,
        10);
  }

  @Test
  void tasksThatLeaveTheirShardsPlanAreRemovedOrStopped() throws Exception {
    queue.enqueue(copy("waiting", "p1", List.of("b")), T0);
    queue.enqueue(copy("running", "p2", List.of("b", "c")), T0);
    queue.enqueue(
        new PlannedTask(Task.scan("scan", "ds", SHARD, "p1", 1), TaskPriority.SCAN, "p1", 0), T0);
    queue.lease("agent-2", Set.of("p2"), 1, T0, LEASE);

    // New objects regroup the keys: "running" is not planned as such, but its key c still is.
    queue.retainPlanned("ds", SHARD.start(), List.of(copy("regrouped", "p2", List.of("a", "c"))));
    assertThat(queue.get("waiting")).as("waiting and not planned").isEmpty();
    assertThat(queue.get("running").orElseThrow().cancelling()).isFalse();
    assertThat(queue.toStop("agent-2", Set.of("running"))).isEmpty();

    // Its keys planned only for another target (the policy changed), or not at all (paused),
    // as a new leader finds it.
    TaskQueue resumed = new TaskQueue(curator, leadership, Jackson.newObjectMapper());
    resumed.load();
    resumed.retainPlanned("ds", SHARD.start(), List.of(copy("elsewhere", "p3", List.of("b", "c"))));
    assertThat(resumed.get("running").orElseThrow().cancelling()).isTrue();
    assertThat(resumed.toStop("agent-2", Set.of("running"))).containsExactly("running");
    queue = resumed;
    assertThat(queue.get("scan")).as("scans are not planned this way").isPresent();
  }

  @Test
  void aRunningDeleteIsStoppedOnceItsProofLeavesThePlanEvenIfItsKeysAreStillPlanned()
      throws Exception {
    queue.enqueue(delete("d-old-proof", "p1", SHARD), T0);
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);

    queue.retainPlanned("ds", SHARD.start(), List.of(delete("d-old-proof", "p1", SHARD)));
    assertThat(queue.toStop("agent-1", Set.of("d-old-proof"))).as("still planned").isEmpty();

    // The same key, planned for deletion on the strength of other copies.
    queue.retainPlanned("ds", SHARD.start(), List.of(delete("d-new-proof", "p1", SHARD)));
    assertThat(queue.toStop("agent-1", Set.of("d-old-proof"))).containsExactly("d-old-proof");
  }

  @Test
  void deletesRelyingOnACopyAScrubFoundWrongAreCancelled() throws Exception {
    // Both delete b on the strength of its copy on "other".
    queue.enqueue(delete("running", "p1", SHARD), T0);
    queue.enqueue(delete("waiting", "p2", SHARD), T0.plusSeconds(1));
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);

    queue.cancelDeletesRelyingOn("ds", SHARD.start(), "p3", Set.of("b"));
    queue.cancelDeletesRelyingOn("ds", SHARD.start(), "other", Set.of("c"));
    assertThat(queue.toStop("agent-1", Set.of("running"))).as("other copies, other keys").isEmpty();

    queue.cancelDeletesRelyingOn("ds", SHARD.start(), "other", Set.of("b"));
    assertThat(queue.toStop("agent-1", Set.of("running"))).containsExactly("running");
    assertThat(queue.get("waiting")).isEmpty();
  }

  @Test
  void aTaskItsAgentStoppedUnaskedWaitsAgainWithoutCountingAnAttempt() throws Exception {
    queue.enqueue(copy("c", "p1", TaskPriority.MISSING_COPY), T0);
    queue.lease("agent-1", Set.of("p1"), 1, T0, LEASE);

    queue.release("c"); // The agent was shutting down.

    QueuedTask waiting = queue.get("c").orElseThrow();
    assertThat(waiting.leased()).isFalse();
    assertThat(waiting.attempts()).isZero();
    assertThat(ids(queue.lease("agent-2", Set.of("p1"), 1, T0, LEASE))).containsExactly("c");
  }

  static PlannedTask copy(String id, String source, String target, long bytes) {
    return new PlannedTask(
        Task.copy(id, "ds", SHARD, source, target, 1).withKeys(List.of(id)),
        TaskPriority.MISSING_COPY,
        target,
        bytes);
  }

  @Test
  void copiesAreLeasedWithinTheBytesInFlightOfEveryRackTheyGoThrough() throws Exception {
    RackBudget budget =
        new RackBudget(100, t -> Set.of("rack-" + t.sourcePool(), "rack-" + t.targetPool()));
    queue =
        new TaskQueue(
            curator, leadership, Jackson.newObjectMapper(), budget, MovementBudgets.none());
    queue.load();
    queue.enqueue(copy("a", "s1", "p1", 60), T0);
    queue.enqueue(copy("b", "s1", "p2", 60), T0.plusSeconds(1));
    queue.enqueue(copy("c", "s2", "p3", 60), T0.plusSeconds(2));
    queue.enqueue(copy("huge", "s3", "p4", 500), T0.plusSeconds(3));
    Set<String> served = Set.of("p1", "p2", "p3", "p4");

    assertThat(ids(queue.lease("agent-1", served, 4, T0, LEASE)))
        .as("b would put 120 bytes through rack-s1; huge goes alone through its racks")
        .containsExactlyInAnyOrder("a", "c", "huge");
    assertThat(queue.inFlight("rack-s1")).isEqualTo(60);

    queue.complete("a");
    assertThat(queue.inFlight("rack-s1")).isZero();
    assertThat(ids(queue.lease("agent-1", served, 4, T0, LEASE))).containsExactly("b");

    // A new leader charges the racks of the copies it finds leased.
    TaskQueue resumed =
        new TaskQueue(
            curator, leadership, Jackson.newObjectMapper(), budget, MovementBudgets.none());
    resumed.load();
    assertThat(resumed.inFlight("rack-s1")).isEqualTo(60);
    resumed.enqueue(copy("d", "s1", "p5", 60), T0.plusSeconds(4));
    assertThat(resumed.lease("agent-2", Set.of("p5"), 4, T0, LEASE)).isEmpty();
    resumed.expireLeases(T0.plus(LEASE).plusSeconds(1));
    assertThat(resumed.inFlight("rack-s1")).as("b's lease lapsed").isZero();
  }

  @Test
  void copiesAreLeasedWithinTheByteRateOfTheirPolicyAndRepairsAreNot() throws Exception {
    MovementBudgets rates =
        new MovementBudgets(
            () -> new MovementBudgets.Rates(0, 0, Map.of("imaging", 1000L)), () -> null);
    queue = new TaskQueue(curator, leadership, Jackson.newObjectMapper(), RackBudget.NONE, rates);
    queue.load();
    for (String id : List.of("t1", "t2")) {
      PlannedTask c = copy(id, "s1", "p1", 1500);
      queue.enqueue(
          new PlannedTask(c.task(), TaskPriority.TRANSITION, "p1", 1500, "imaging", 50), T0);
    }
    queue.enqueue(copy("repair", "s1", "p1", 1500), T0.plusSeconds(1));

    assertThat(ids(queue.lease("agent-1", Set.of("p1"), 4, T0, LEASE)))
        .as("one transition takes the policy's second of bandwidth and more; the repair is exempt")
        .containsExactlyInAnyOrder("repair", "t1");
    assertThat(queue.lease("agent-1", Set.of("p1"), 4, T0.plusMillis(400), LEASE)).isEmpty();
    TaskQueue.Leasable held = queue.leasable(T0.plusMillis(400));
    assertThat(held.pools()).isEmpty();
    assertThat(held.next())
        .as("when the policy's budget has paid back t1's 500 bytes: its agents are woken then")
        .isBetween(T0.plusMillis(500), T0.plusMillis(502));
    assertThat(queue.leasable(held.next()).pools()).containsExactly("p1");
    assertThat(ids(queue.lease("agent-1", Set.of("p1"), 4, T0.plusMillis(600), LEASE)))
        .as("500 bytes owed, paid back at 1,000 per second")
        .containsExactly("t2");
  }

  int version(String taskId) throws Exception {
    return curator.checkExists().forPath(ZkPaths.task(taskId)).getVersion();
  }
}
