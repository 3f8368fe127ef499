package io.strata.bench;

import org.apache.curator.framework.CuratorFramework;

/**
 * ZooKeeper's transaction counter, as the benchmarks read it: by writing a marker znode, whose new
 * version carries the zxid of that write. Every transaction takes the next zxid, a request that
 * ZooKeeper refuses (a create of a znode that exists, a write to one that does not) too.
 */
public final class ZooKeeperTransactions {
  private ZooKeeperTransactions() {}

  /** Writes {@code marker} (which must exist) and returns the zxid of that write. */
  public static long read(CuratorFramework zk, String marker) throws Exception {
    return zk.setData().forPath(marker).getMzxid();
  }

  /**
   * The transactions between two {@link #read}s: the difference of their zxids less one, the second
   * read's own write.
   */
  public static long between(long before, long after) {
    return after - before - 1;
  }
}
