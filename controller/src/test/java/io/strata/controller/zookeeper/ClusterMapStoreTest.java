package io.strata.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.OnePoolTopology;
import io.strata.topology.ClusterMap;
import io.strata.topology.CopyRemap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterMapStoreTest {
  private TestingServer zookeeper;
  private CuratorFramework curator;
  private ClusterMapStore maps;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestingServer(true);
    curator =
        CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
    curator.start();
    maps = new ClusterMapStore(curator, OnePoolTopology.map());
    maps.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (maps != null) {
      maps.stop();
    }
    curator.close();
    zookeeper.close();
  }

  @Test
  void aChangeThatChangesNothingKeepsTheEpochAndWritesNothing() throws Exception {
    long epoch = maps.current().epoch();
    ClusterMap drained = maps.update(m -> m.withPool(pool(m).withState(DomainState.DRAINING)));
    assertThat(drained.epoch()).isEqualTo(epoch + 1);
    int version = znodeVersion();

    ClusterMap again = maps.update(m -> m.withPool(pool(m).withState(DomainState.DRAINING)));
    double weight = pool(again).weight();
    ClusterMap sameWeight = maps.update(m -> m.withPool(pool(m).withWeight(weight)));

    assertThat(again.epoch()).isEqualTo(epoch + 1);
    assertThat(sameWeight).isEqualTo(drained);
    assertThat(znodeVersion()).as("nothing written").isEqualTo(version);

    ClusterMap heavier = maps.update(m -> m.withPool(pool(m).withWeight(weight * 2)));
    assertThat(heavier.epoch()).isEqualTo(epoch + 2);
    assertThat(pool(heavier).weight()).isEqualTo(weight * 2);
    assertThat(znodeVersion()).isEqualTo(version + 1);
  }

  @Test
  void aMapPastOneZnodeIsStoredInChunksThatAnotherReplicaJoinsAndOldChunksGo() throws Exception {
    ClusterMap demo = DemoTopology.map();
    List<CopyRemap> remaps = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      remaps.add(new CopyRemap("h01-imaging:" + i, "czzl-a-r01-hot", "czzl-b-r01-hot"));
    }
    CuratorFramework other =
        CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
    other.start();
    try {
      ClusterMapStore big = new ClusterMapStore(curator, demo);
      // A fresh namespace: the demo map, then its balancer's exceptions.
      curator.delete().forPath(ZkPaths.CLUSTER_MAP);
      big.start();
      ClusterMap balanced = big.update(m -> m.withRemaps(remaps));
      assertThat(balanced.remaps()).hasSize(20_000);
      assertThat(curator.getChildren().forPath(ZkPaths.CLUSTER_MAP_CHUNKS)).hasSize(1);

      ClusterMapStore replica = new ClusterMapStore(other, DemoTopology.map());
      replica.start();
      assertThat(replica.current()).isEqualTo(balanced);
      Map<String, Integer> sizes = new TreeMap<>();
      sizes.put(
          ZkPaths.CLUSTER_MAP, curator.checkExists().forPath(ZkPaths.CLUSTER_MAP).getDataLength());
      for (String write : curator.getChildren().forPath(ZkPaths.CLUSTER_MAP_CHUNKS)) {
        String dir = ZkPaths.CLUSTER_MAP_CHUNKS + "/" + write;
        for (String chunk : curator.getChildren().forPath(dir)) {
          sizes.put(
              dir + "/" + chunk, curator.checkExists().forPath(dir + "/" + chunk).getDataLength());
        }
      }
      assertThat(sizes).hasSizeGreaterThan(2);
      assertThat(sizes.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(512 * 1024));

      // The next change writes new chunks, the replica follows it, and the old write's chunks go.
      String first = curator.getChildren().forPath(ZkPaths.CLUSTER_MAP_CHUNKS).get(0);
      ClusterMap fewer = big.update(m -> m.withRemaps(remaps.subList(0, 15_000)));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(replica.current()).isEqualTo(fewer));
      assertThat(curator.getChildren().forPath(ZkPaths.CLUSTER_MAP_CHUNKS))
          .hasSize(1)
          .doesNotContain(first);
      replica.stop();
      big.stop();
    } finally {
      other.close();
    }
  }

  private static Pool pool(ClusterMap map) {
    return map.pool("pool-1").orElseThrow();
  }

  private int znodeVersion() throws Exception {
    return curator.checkExists().forPath(ZkPaths.CLUSTER_MAP).getVersion();
  }
}
