package io.strata.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.ZkPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak's reading of the ensemble's transaction logs, against a real ZooKeeper and the
 * controller's own {@link Leadership}: a term's writes pass, from a later session of its replica
 * too; a leader-only write from another replica or without the epoch check is caught; a write the
 * fence refused is counted.
 */
class FencingCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aTermsWritesPassAndAnotherReplicasOrUnfencedOnesAreCaught(@TempDir Path dir)
      throws Exception {
    try (TestingServer server =
            new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, -1), true);
        CuratorFramework first = client(server);
        CuratorFramework firstLater = client(server);
        CuratorFramework second = client(server)) {
      first.create().creatingParentsIfNeeded().forPath(ZkPaths.TASKS);
      Leadership leader = new Leadership(first, "c1");
      Leadership follower = new Leadership(second, "c2");
      Leadership leaderLater = new Leadership(firstLater, "c1");
      try {
        leader.start();
        await().atMost(TIMEOUT).until(leader::isLeader);
        follower.start();
        leaderLater.start();
        await("three election nodes")
            .atMost(TIMEOUT)
            .until(() -> first.getChildren().forPath(ZkPaths.LEADER_LATCH).size() == 3);
        int fence = leader.term().znodeVersion();

        first.transaction().forOperations(leader.fenceCheck(), create(first, "/tasks/leader"));
        // The same replica from a later session, its operation carrying the term's fence: what
        // Curator's retry of an operation in flight does when it had to open another session.
        firstLater
            .transaction()
            .forOperations(check(firstLater, fence), create(firstLater, "/tasks/leader-later"));
        // What a replica that does not lead must never manage: the current fence, another
        // replica's session.
        second.transaction().forOperations(check(second, fence), create(second, "/tasks/follower"));
        second.create().forPath("/tasks/unfenced");
        assertThatThrownBy(
                () ->
                    second
                        .transaction()
                        .forOperations(check(second, fence - 1), create(second, "/tasks/stale")))
            .isInstanceOf(KeeperException.class);
        assertThat(second.checkExists().forPath("/tasks/stale")).isNull();

        FencingCheck.Result result =
            new FencingCheck("strata").check(List.of(dir.resolve("version-2").toFile()));

        assertThat(result.transactions()).as("transactions read").isGreaterThan(10);
        assertThat(result.terms()).isEqualTo(1);
        assertThat(result.newSessionWrites()).isEqualTo(1);
        assertThat(result.fencedWrites()).isEqualTo(1);
        assertThat(result.deposedWrites())
            .extracting(
                FencingCheck.DeposedWrite::path,
                FencingCheck.DeposedWrite::replica,
                FencingCheck.DeposedWrite::termReplica,
                FencingCheck.DeposedWrite::why)
            .containsExactly(
                tuple(
                    "/strata/tasks/follower",
                    "c2",
                    "c1",
                    "written by another replica's session than the term's"),
                tuple("/strata/tasks/unfenced", "c2", "c1", "written without the epoch check"));
      } finally {
        leaderLater.stop();
        follower.stop();
        leader.stop();
      }
    }
  }

  private static CuratorFramework client(TestingServer server) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(server.getConnectString())
            .namespace("strata")
            .retryPolicy(new RetryOneTime(100))
            .build();
    client.start();
    return client;
  }

  private static CuratorOp check(CuratorFramework client, int version) throws Exception {
    return client.transactionOp().check().withVersion(version).forPath(ZkPaths.LEADER_EPOCH);
  }

  private static CuratorOp create(CuratorFramework client, String path) throws Exception {
    return client.transactionOp().create().forPath(path);
  }
}
