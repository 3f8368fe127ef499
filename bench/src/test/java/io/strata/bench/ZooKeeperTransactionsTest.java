package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ZooKeeper transaction count the heartbeat and fleet benchmarks report ({@code
 * zk_transactions}, {@code zk_writes_per_s}): read by writing a marker, against a real ZooKeeper.
 */
class ZooKeeperTransactionsTest {
  private static final String MARKER = "/marker";

  @Test
  void theCounterLeavesOutTheSecondReadsOwnWrite() {
    // The first read's write took zxid 100, the second's 108: seven transactions in between.
    assertThat(ZooKeeperTransactions.between(100, 108)).isEqualTo(7);
    assertThat(ZooKeeperTransactions.between(100, 101)).isZero();
  }

  @Test
  void countsEveryWriteBetweenTwoReadsAndARefusedCreateToo(@TempDir Path dir) throws Exception {
    try (TestingServer server =
            new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, -1), true);
        CuratorFramework zk =
            CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      zk.start();
      zk.create().forPath(MARKER);
      zk.create().forPath("/x");

      long before = ZooKeeperTransactions.read(zk, MARKER);
      long after = ZooKeeperTransactions.read(zk, MARKER);
      assertThat(ZooKeeperTransactions.between(before, after)).as("nothing between").isZero();

      before = ZooKeeperTransactions.read(zk, MARKER);
      zk.setData().forPath("/x", new byte[] {1});
      zk.setData().forPath("/x", new byte[] {2});
      zk.create().forPath("/y");
      after = ZooKeeperTransactions.read(zk, MARKER);
      assertThat(ZooKeeperTransactions.between(before, after))
          .as("two sets, one create")
          .isEqualTo(3);

      before = ZooKeeperTransactions.read(zk, MARKER);
      assertThatThrownBy(() -> zk.create().forPath("/x"))
          .isInstanceOf(KeeperException.NodeExistsException.class);
      zk.getData().forPath("/x"); // a read is no transaction
      after = ZooKeeperTransactions.read(zk, MARKER);
      assertThat(ZooKeeperTransactions.between(before, after))
          .as("a create of a znode that exists")
          .isEqualTo(1);
    }
  }
}
