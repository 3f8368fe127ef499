package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.controller.security.Hashes;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code zookeeper.digest} set, Strata's znodes belong to the controllers alone. */
class ZooKeeperAclIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private final String digest = "strata:" + Hashes.randomToken();
  private static final String MAP = "/strata" + ZkPaths.CLUSTER_MAP;

  @BeforeEach
  void startController() throws Exception {
    fleet = new TestFleet(dir, 1);
    Files.writeString(dir.resolve("zookeeper.digest"), digest + "\n");
    fleet.zookeeperExtra = "  digest: \"file:zookeeper.digest\"";
    var controller = fleet.startController("replica-1");
    await("cluster map served")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet
                        .as(Roles.VIEWER)
                        .fetch("http://127.0.0.1:" + controller.port() + "/api/v1/cluster-map")
                        .statusCode()
                    == 200);
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
  }

  private CuratorFramework client(String auth) {
    var builder =
        CuratorFrameworkFactory.builder()
            .connectString(fleet.zookeeper.getConnectString())
            .retryPolicy(new RetryOneTime(100));
    if (auth != null) {
      builder.authorization("digest", auth.getBytes(StandardCharsets.UTF_8));
    }
    CuratorFramework client = builder.build();
    client.start();
    return client;
  }

  @Test
  void aClientWithoutTheControllersCredentialsCannotWriteOrReadTheClusterMap() throws Exception {
    try (CuratorFramework anonymous = client(null);
        CuratorFramework wrong = client("strata:wrong-password")) {
      for (CuratorFramework outsider : new CuratorFramework[] {anonymous, wrong}) {
        assertThatThrownBy(() -> outsider.setData().forPath(MAP, "tiers: []".getBytes()))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.getData().forPath(MAP))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> outsider.delete().deletingChildrenIfNeeded().forPath("/strata"))
            .isInstanceOf(KeeperException.NoAuthException.class);
      }
    }
  }

  @Test
  void theControllersCredentialsReadTheClusterMap() throws Exception {
    try (CuratorFramework controllerLike = client(digest)) {
      assertThat(new String(controllerLike.getData().forPath(MAP), StandardCharsets.UTF_8))
          .contains("pool-0");
    }
  }
}
