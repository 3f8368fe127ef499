package io.strata.controller.zookeeper;

import io.dropwizard.lifecycle.Managed;
import io.strata.topology.ClusterMap;
import io.strata.topology.MapChunks;
import io.strata.topology.TopologyFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The largest map stored, in chunks: 64 MiB, room for about a million placement exceptions. A
   * replica reads it whole on every change.
   */
  public static final int MAX_MAP_BYTES = 64 * 1024 * 1024;

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
    try {
      create(seed);
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
      ClusterMap map = read(data);
      current.accumulateAndGet(map, (old, next) -> next.epoch() >= old.epoch() ? next : old);
    } catch (KeeperException.NoNodeException moved) {
      // A chunk of this write is gone: a newer map replaced it, and its event follows.
      LOG.debug("cluster map chunk gone while reading; a newer map follows");
    } catch (Exception e) {
      LOG.error(
          "ignoring an unreadable cluster map in ZooKeeper, keeping epoch {}: {}",
          current.get().epoch(),
          e.getMessage());
    }
  }

  /**
   * The map {@code data} (the cluster-map node's content) holds: its text, or the first chunk of a
   * map too large for one node, whose other chunks are read and joined (checksum verified).
   */
  private ClusterMap read(byte[] data) throws Exception {
    byte[] text = data;
    if (MapChunks.isChunk(data)) {
      String write = Integer.toHexString(MapChunks.checksum(data));
      List<byte[]> chunks = new ArrayList<>();
      chunks.add(data);
      for (int i = 1; i < MapChunks.count(data); i++) {
        chunks.add(curator.getData().forPath(ZkPaths.clusterMapChunk(write, i)));
      }
      text = MapChunks.join(chunks);
    }
    return TopologyFile.parse(
        "zookeeper:" + ZkPaths.CLUSTER_MAP, new String(text, StandardCharsets.UTF_8));
  }

  /**
   * The map as stored: its text in the cluster-map node when it fits ({@link #MAX_ZNODE_BYTES});
   * otherwise that node holds the first of its chunks and the others go under {@link
   * ZkPaths#CLUSTER_MAP_CHUNKS}, named by the write's checksum, written first so that a reader who
   * sees the first chunk finds the rest. The balancer's exceptions make a map this large.
   *
   * @return what the cluster-map node holds
   */
  private byte[] store(ClusterMap map) throws Exception {
    byte[] text = TopologyFile.write(map).getBytes(StandardCharsets.UTF_8);
    if (text.length > MAX_MAP_BYTES) {
      throw new IllegalStateException(
          "the cluster map would be "
              + text.length
              + " bytes, more than Strata stores ("
              + MAX_MAP_BYTES
              + ")");
    }
    if (text.length <= MAX_ZNODE_BYTES) {
      return text;
    }
    List<byte[]> chunks = MapChunks.split(text, MAX_ZNODE_BYTES);
    String write = Integer.toHexString(MapChunks.checksum(chunks.get(0)));
    for (int i = 1; i < chunks.size(); i++) {
      curator
          .create()
          .orSetData()
          .creatingParentContainersIfNeeded()
          .forPath(ZkPaths.clusterMapChunk(write, i), chunks.get(i));
    }
    return chunks.get(0);
  }

  private void create(ClusterMap map) throws Exception {
    curator.create().creatingParentsIfNeeded().forPath(ZkPaths.CLUSTER_MAP, store(map));
  }

  /** Deletes the chunks of every write but the one the cluster-map node holds now. */
  private void dropOldChunks(byte[] stored) {
    String keep =
        MapChunks.isChunk(stored) ? Integer.toHexString(MapChunks.checksum(stored)) : null;
    try {
      if (curator.checkExists().forPath(ZkPaths.CLUSTER_MAP_CHUNKS) == null) {
        return;
      }
      for (String write : curator.getChildren().forPath(ZkPaths.CLUSTER_MAP_CHUNKS)) {
        if (!write.equals(keep)) {
          curator
              .delete()
              .deletingChildrenIfNeeded()
              .forPath(ZkPaths.CLUSTER_MAP_CHUNKS + "/" + write);
        }
      }
    } catch (Exception e) {
      LOG.info("old cluster map chunks stay until the next change: {}", e.toString());
    }
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
      ClusterMap stored;
      try {
        stored = read(data);
      } catch (KeeperException.NoNodeException moved) {
        continue; // Replaced while read: read the new one.
      }
      ClusterMap next = change.apply(stored);
      if (next.atEpoch(stored.epoch()).equals(stored)) {
        current.accumulateAndGet(stored, (old, n) -> n.epoch() >= old.epoch() ? n : old);
        return stored;
      }
      if (next.epoch() <= stored.epoch()) {
        next = next.atEpoch(stored.epoch() + 1);
      }
      byte[] written;
      try {
        written = store(next);
        curator.setData().withVersion(stat.getVersion()).forPath(ZkPaths.CLUSTER_MAP, written);
      } catch (KeeperException.BadVersionException raced) {
        continue;
      }
      dropOldChunks(written);
      ClusterMap now = next;
      current.accumulateAndGet(now, (old, n) -> n.epoch() >= old.epoch() ? n : old);
      LOG.info("cluster map changed to epoch {}", now.epoch());
      return now;
    }
  }

  /** The newest map this replica has seen. */
  public ClusterMap current() {
    return current.get();
  }
}
