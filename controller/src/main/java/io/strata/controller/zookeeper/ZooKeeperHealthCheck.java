package io.strata.controller.zookeeper;

import com.codahale.metrics.health.HealthCheck;
import org.apache.curator.framework.CuratorFramework;

/** Healthy while the controller's ZooKeeper session is connected. */
public class ZooKeeperHealthCheck extends HealthCheck {
  private final CuratorFramework curator;

  public ZooKeeperHealthCheck(CuratorFramework curator) {
    this.curator = curator;
  }

  @Override
  protected Result check() throws Exception {
    if (!curator.getZookeeperClient().isConnected()) {
      return Result.unhealthy(
          "not connected to " + curator.getZookeeperClient().getCurrentConnectionString());
    }
    return Result.healthy(
        "connected, session 0x%x", curator.getZookeeperClient().getZooKeeper().getSessionId());
  }
}
