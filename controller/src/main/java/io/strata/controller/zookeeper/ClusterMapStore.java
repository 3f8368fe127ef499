package io.strata.controller.zookeeper;

import io.dropwizard.lifecycle.Managed;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster map as every replica sees it: stored in ZooKeeper at {@link ZkPaths#CLUSTER_MAP},
 * seeded from the topology file when ZooKeeper has none, and followed with a cache so that a change
 * written by the leader reaches every replica.
 *
 * <p>A stored map that cannot be parsed (written by a newer version, or damaged) is logged and
 * ignored: the replica keeps the last good map rather than crashing. Thread-safe.
 */
public final class ClusterMapStore implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMapStore.class);

  /** ZooKeeper's default jute.maxbuffer is 1 MiB; Strata keeps every znode below half of it. */
  public static final int MAX_ZNODE_BYTES = 512 * 1024;

  private final CuratorFramework curator;
  private final ClusterMap seed;
  private final AtomicReference<ClusterMap> current = new AtomicReference<>();
  private CuratorCache cache;

  /**
   * @param seed the map from the topology file, stored when ZooKeeper has none yet
   */
  public ClusterMapStore(CuratorFramework curator, ClusterMap seed) {
    this.curator = curator;
    this.seed = seed;
    this.current.set(seed);
  }

  @Override
  public void start() throws Exception {
    byte[] text = encode(seed);
    try {
      curator.create().creatingParentsIfNeeded().forPath(ZkPaths.CLUSTER_MAP, text);
      LOG.info("stored the cluster map from the topology file, epoch {}", seed.epoch());
    } catch (KeeperException.NodeExistsException e) {
      LOG.info("cluster map found in ZooKeeper; the topology file only seeds an empty ensemble");
    }
    load(curator.getData().forPath(ZkPaths.CLUSTER_MAP));
    cache =
        CuratorCache.build(curator, ZkPaths.CLUSTER_MAP, CuratorCache.Options.SINGLE_NODE_CACHE);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> load(after.getData()))
                .build());
    cache.start();
  }

  @Override
  public void stop() {
    if (cache != null) {
      cache.close();
    }
  }

  private void load(byte[] data) {
    try {
      ClusterMap map =
          TopologyFile.parse(
              "zookeeper:" + ZkPaths.CLUSTER_MAP, new String(data, StandardCharsets.UTF_8));
      current.accumulateAndGet(map, (old, next) -> next.epoch() >= old.epoch() ? next : old);
    } catch (RuntimeException e) {
      LOG.error(
          "ignoring an unreadable cluster map in ZooKeeper, keeping epoch {}: {}",
          current.get().epoch(),
          e.getMessage());
    }
  }

  static byte[] encode(ClusterMap map) {
    byte[] text = TopologyFile.write(map).getBytes(StandardCharsets.UTF_8);
    if (text.length > MAX_ZNODE_BYTES) {
      throw new IllegalStateException(
          "the cluster map is "
              + text.length
              + " bytes, more than one znode may hold ("
              + MAX_ZNODE_BYTES
              + ")");
    }
    return text;
  }

  /**
   * Changes the map: reads the stored map, applies {@code change} (which must return the next
   * epoch's map, as {@link ClusterMap#withPool} does) and writes it back only if no other write
   * came in between (compare-and-set on the znode version), retrying otherwise. A change that
   * changes nothing (a pool drained again, a weight set to what it is) writes nothing and keeps the
   * epoch: a new epoch would send every shard to be scanned again and void the proofs of the
   * deletions under way, and a script that sets the same weight every minute would never let one
   * finish.
   *
   * @return the map now stored: the new one, or the stored one when nothing changed
   * @throws IllegalArgumentException from {@code change} when the change is invalid; nothing is
   *     written then
   */
  public ClusterMap update(UnaryOperator<ClusterMap> change) throws Exception {
    while (true) {
      Stat stat = new Stat();
      byte[] data = curator.getData().storingStatIn(stat).forPath(ZkPaths.CLUSTER_MAP);
      ClusterMap stored =
          TopologyFile.parse(
              "zookeeper:" + ZkPaths.CLUSTER_MAP, new String(data, StandardCharsets.UTF_8));
      ClusterMap next = change.apply(stored);
      if (next.atEpoch(stored.epoch()).equals(stored)) {
        current.accumulateAndGet(stored, (old, n) -> n.epoch() >= old.epoch() ? n : old);
        return stored;
      }
      if (next.epoch() <= stored.epoch()) {
        next = next.atEpoch(stored.epoch() + 1);
      }
      try {
        curator.setData().withVersion(stat.getVersion()).forPath(ZkPaths.CLUSTER_MAP, encode(next));
      } catch (KeeperException.BadVersionException raced) {
        continue;
      }
      ClusterMap written = next;
      current.accumulateAndGet(written, (old, n) -> n.epoch() >= old.epoch() ? n : old);
      LOG.info("cluster map changed to epoch {}", written.epoch());
      return written;
    }
  }

  /** The newest map this replica has seen. */
  public ClusterMap current() {
    return current.get();
  }
}
