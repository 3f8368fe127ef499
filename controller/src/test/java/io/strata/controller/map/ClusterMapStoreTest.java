package io.strata.controller.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.zookeeper.ZkPaths;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.TopologyFile;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterMapStoreTest {
  private static final String TOPOLOGY =
      """
      tiers:
        - {name: hot, fillCeiling: 0.85}
      domains:
        - {id: region-1, level: region}
        - {id: site-1, level: site, parent: region-1}
        - {id: rack-1, level: rack, parent: site-1}
        - {id: node-1, level: node, parent: rack-1}
      pools:
        - {id: p1, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:9000", capacity: 1TiB, credentials: "file:p1"}
      """;

  private TestingServer zookeeper;
  private CuratorFramework curator;
  private ClusterMapStore maps;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestingServer(true);
    curator =
        CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
    curator.start();
    maps = new ClusterMapStore(curator, TopologyFile.parse("topology.yaml", TOPOLOGY));
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

  private static Pool pool(ClusterMap map) {
    return map.pool("p1").orElseThrow();
  }

  private int znodeVersion() throws Exception {
    return curator.checkExists().forPath(ZkPaths.CLUSTER_MAP).getVersion();
  }
}
