package io.strata.controller.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/** Writes to znodes that are mostly there already. */
public final class Znodes {
  private Znodes() {}

  /**
   * Sets {@code path} to {@code data}, creating it (and its parents) when missing. Tries the update
   * first: Curator's create-or-set creates first, and a failed create is a ZooKeeper transaction
   * too, so for a znode written again and again it costs twice the transactions and round trips.
   */
  public static void write(CuratorFramework curator, String path, byte[] data) throws Exception {
    try {
      curator.setData().forPath(path, data);
    } catch (KeeperException.NoNodeException missing) {
      curator.create().orSetData().creatingParentsIfNeeded().forPath(path, data);
    }
  }

  /**
   * {@link #write(CuratorFramework, String, byte[])} in one transaction with {@code fence} (a
   * check), so that nothing is written once the fence fails. The parent must exist.
   */
  public static void write(CuratorFramework curator, CuratorOp fence, String path, byte[] data)
      throws Exception {
    try {
      curator
          .transaction()
          .forOperations(fence, curator.transactionOp().setData().forPath(path, data));
    } catch (KeeperException.NoNodeException missing) {
      curator
          .transaction()
          .forOperations(fence, curator.transactionOp().create().forPath(path, data));
    }
  }
}
