package io.strata.controller;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;

/**
 * An embedded ZooKeeper for one test, and started clients of it (one per replica a test plays).
 * Closing it closes the clients, then the server. Not thread-safe.
 */
public final class TestZooKeeper implements AutoCloseable {
  private final TestingServer server;
  private final List<CuratorFramework> clients = new ArrayList<>();

  public TestZooKeeper() throws Exception {
    server = new TestingServer(true);
  }

  /** A started server, for static fields of tests; a failure to start is an error. */
  public static TestZooKeeper unchecked() {
    try {
      return new TestZooKeeper();
    } catch (Exception e) {
      throw new IllegalStateException("the test ZooKeeper did not start", e);
    }
  }

  /** A new started client. */
  public CuratorFramework client() {
    CuratorFramework curator =
        CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
    curator.start();
    clients.add(curator);
    return curator;
  }

  @Override
  public void close() throws Exception {
    for (int i = clients.size() - 1; i >= 0; i--) {
      clients.get(i).close();
    }
    server.close();
  }
}
