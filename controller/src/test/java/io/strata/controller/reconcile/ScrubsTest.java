package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.jackson.Jackson;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.ScrubStore;
import io.strata.controller.zookeeper.ZkPaths;
import io.strata.fleet.reconcile.Scrubs;
import io.strata.fleet.reconcile.VerificationTimes;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskFailure;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.runtime.TestTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
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
  void aVerifiedCopyIsDueAgainOneIntervalAfterItsVerification() throws Exception {
    Scrubs scrubs = new Scrubs(INTERVAL);
    scrubs.queued("s", "p1", NOW);
    scrubs.verified("s", "p1", result(VERIFY), NOW);

    assertThat(scrubs.lastVerified("s", "p1", NOW.plusSeconds(5))).isEqualTo(NOW);
    assertThat(scrubs.due("s", "p1", NOW.plus(INTERVAL).minusSeconds(1))).isFalse();
    assertThat(scrubs.due("s", "p1", NOW.plus(INTERVAL))).isTrue();
  }

  @Test
  void aScrubThatCameBackWithoutVerifyingIsQueuedAgainAfterAnHourNotAtOnce() throws Exception {
    Scrubs scrubs = new Scrubs(INTERVAL);
    scrubs.queued("s", "p1", NOW.minus(INTERVAL));
    scrubs.verified("s", "p1", result(VERIFY), NOW.minus(INTERVAL));
    scrubs.queued("s", "p1", NOW);
    scrubs.verified(
        "s",
        "p1",
        TaskResult.of(
            VERIFY, TaskState.FAILED, new KeyTally(), TaskFailure.transientFailure("pool down")),
        NOW);

    assertThat(scrubs.verifiedAt("s", "p1")).isEqualTo(NOW.minus(INTERVAL));
    assertThat(scrubs.due("s", "p1", NOW.plusSeconds(60))).isFalse();
    assertThat(scrubs.due("s", "p1", NOW.plus(Duration.ofHours(1)))).isTrue();
  }

  @Test
  void aScrubReplacesWhatWasKnownOfItsPoolAndARepairClearsWhatItFixed() throws Exception {
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
  void aCopyFallsDueWhenDueAtSaysAndSoonerOnlyThroughSooner() throws Exception {
    Scrubs scrubs = new Scrubs(INTERVAL);
    scrubs.queued("s", "p1", NOW);
    scrubs.verified("s", "p1", result(VERIFY), NOW);
    Instant dueAt = scrubs.dueAt("s", "p1", NOW);
    assertThat(dueAt).isEqualTo(NOW.plus(INTERVAL));
    assertThat(scrubs.due("s", "p1", dueAt.minusSeconds(1))).isFalse();
    assertThat(scrubs.due("s", "p1", dueAt)).isTrue();

    long before = scrubs.sooner();
    scrubs.queued("s", "p1", dueAt);
    assertThat(scrubs.dueAt("s", "p1", dueAt))
        .as("queued: not again within the hour it waits for")
        .isEqualTo(dueAt.plus(Duration.ofHours(1)));
    scrubs.verified("s", "p1", result(VERIFY), dueAt.plusSeconds(60));
    assertThat(scrubs.dueAt("s", "p1", dueAt.plusSeconds(60)))
        .isEqualTo(dueAt.plusSeconds(60).plus(INTERVAL));
    assertThat(scrubs.sooner()).as("queuing and verifying only put times later").isEqualTo(before);

    KeyOutcome[] many = new KeyOutcome[KeyTally.NAMED_PER_STATUS + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = wrong(String.format("k%05d", i));
    }
    scrubs.verified("s", "p1", result(VERIFY, many), dueAt.plusSeconds(120));
    assertThat(scrubs.sooner()).as("due again at once: sooner than said").isGreaterThan(before);
    assertThat(scrubs.dueAt("s", "p1", dueAt.plusSeconds(120))).isBefore(dueAt);

    long split = scrubs.sooner();
    scrubs.forgetShard("s");
    assertThat(scrubs.sooner()).isGreaterThan(split);
  }

  @Test
  void aScrubThatFoundMoreThanItNamesIsDueAgain() throws Exception {
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

  @Test
  void aNewLeaderKnowsTheCopiesFoundWrongUntilTheyAreRepaired() throws Exception {
    try (TestZooKeeper zookeeper = new TestZooKeeper()) {
      CuratorFramework curator = zookeeper.client();
      Leadership leadership = new Leadership(curator, "replica-1");
      leadership.start();
      try {
        await("leadership").atMost(TestTimeouts.TIMEOUT).until(leadership::isLeader);
        ScrubStore store = new ScrubStore(curator, leadership, Jackson.newObjectMapper());
        VerificationTimesTestStore times = new VerificationTimesTestStore();
        Scrubs leader = new Scrubs(INTERVAL, store, new VerificationTimes(times));
        leader.load();
        leader.queued("ds:0", "p1", NOW);
        leader.verified("ds:0", "p1", result(VERIFY, wrong("a"), wrong("b")));
        leader.queued("ds:0", "p2", NOW);
        leader.verified("ds:0", "p2", result(VERIFY), NOW);
        leader.flush();
        leader.queued("ds:1", "p1", NOW);
        leader.verified("ds:1", "p1", result(VERIFY, wrong("z")));
        Task repair =
            Task.copy("r", "ds", KeyRange.ALL, "p2", "p1", 1).withKeys(List.of("a")).asRepair();
        leader.repaired("ds:0", "p1", repair.keys(), result(repair));
        leader.forgetShard("ds:1");

        Scrubs next = new Scrubs(INTERVAL, store, new VerificationTimes(times));
        next.load();

        assertThat(next.wrongIn("ds:0")).isEqualTo(Map.of("p1", Set.of("b")));
        assertThat(next.wrongIn("ds:1")).as("split away").isEmpty();
        assertThat(next.wrongCopies()).isEqualTo(1);
        assertThat(next.verifiedAt("ds:0", "p2")).isEqualTo(NOW);
        assertThat(next.due("ds:0", "p2", NOW.plus(INTERVAL).minusSeconds(1)))
            .as("on its schedule")
            .isFalse();
        assertThat(next.due("ds:0", "p2", NOW.plus(INTERVAL))).isTrue();
        assertThat(curator.getChildren().forPath(ZkPaths.SCRUBS))
            .as("only findings are kept")
            .hasSize(1);

        // Once repaired, nothing is left in ZooKeeper either.
        next.repaired("ds:0", "p1", List.of("b"), result(repair.withKeys(List.of("b"))));
        assertThat(curator.getChildren().forPath(ZkPaths.SCRUBS)).isEmpty();
      } finally {
        leadership.stop();
      }
    }
  }

  /** Verification times in memory, as the system dataset would keep them. */
  static final class VerificationTimesTestStore implements VerificationTimes.Store {
    private final Map<Integer, byte[]> records = new java.util.HashMap<>();

    @Override
    public Map<Integer, List<byte[]>> read() {
      Map<Integer, List<byte[]>> out = new java.util.HashMap<>();
      records.forEach((bucket, record) -> out.put(bucket, List.of(record)));
      return out;
    }

    @Override
    public void write(int bucket, byte[] record) {
      records.put(bucket, record);
    }
  }
}
