package io.strata.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.controller.OnePoolTopology;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
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

  private static Pool pool(ClusterMap map) {
    return map.pool("pool-1").orElseThrow();
  }

  private int znodeVersion() throws Exception {
    return curator.checkExists().forPath(ZkPaths.CLUSTER_MAP).getVersion();
  }
}
