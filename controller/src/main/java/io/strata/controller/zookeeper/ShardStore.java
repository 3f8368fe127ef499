package io.strata.controller.zookeeper;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.fleet.reconcile.Shard;
import io.strata.protocol.task.KeyRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The shard map of each dataset, kept in ZooKeeper under {@link ZkPaths#SHARDS}. A dataset starts
 * as one shard over its whole key space, with id {@code <dataset>:0}; ids are stable and never
 * reused. Thread-safe.
 *
 * <p>A shard that a scan finds larger than the threshold is split at a key into two new shards with
 * new ids; both keep the parent's placement key, so a split moves no data.
 */
public final class ShardStore {
  private static final TypeReference<List<Shard>> SHARDS = new TypeReference<>() {};

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** A dataset's shards, and the same by the start of their range. */
  private record Cached(List<Shard> shards, Map<String, Shard> byStart) {
    static Cached of(List<Shard> shards) {
      Map<String, Shard> byStart = new HashMap<>();
      shards.forEach(s -> byStart.put(s.range().start(), s));
      return new Cached(List.copyOf(shards), Map.copyOf(byStart));
    }
  }

  public ShardStore(CuratorFramework curator, ObjectMapper json) {
    this.curator = curator;
    this.json = json;
  }

  /**
   * Splits {@code parent} at {@code key} into {@code [start, key)} and {@code [key, end)}.
   * Compare-and-set on the dataset's znode: a concurrent change wins and this returns the shards as
   * they are. Idempotent: a parent that is gone (split already) is left alone.
   *
   * @return the dataset's shards after the split
   */
  public List<Shard> split(Shard parent, String key) throws Exception {
    String path = ZkPaths.shards(parent.dataset());
    Stat stat = new Stat();
    List<Shard> shards =
        json.readValue(curator.getData().storingStatIn(stat).forPath(path), SHARDS);
    if (!shards.contains(parent)
        || !parent.range().contains(key)
        || key.equals(parent.range().start())) {
      Cached unchanged = Cached.of(shards);
      cache.put(parent.dataset(), unchanged);
      return unchanged.shards();
    }
    int next = 0;
    for (Shard s : shards) {
      next = Math.max(next, Integer.parseInt(s.id().substring(s.id().lastIndexOf(':') + 1)) + 1);
    }
    next = Math.max(next, nextIdFloor(parent));
    List<Shard> after = new ArrayList<>();
    for (Shard s : shards) {
      if (!s.equals(parent)) {
        after.add(s);
        continue;
      }
      after.add(
          new Shard(
              parent.dataset() + ":" + next,
              parent.dataset(),
              new KeyRange(parent.range().start(), key),
              parent.placementKey()));
      after.add(
          new Shard(
              parent.dataset() + ":" + (next + 1),
              parent.dataset(),
              new KeyRange(key, parent.range().end()),
              parent.placementKey()));
    }
    try {
      curator.setData().withVersion(stat.getVersion()).forPath(path, json.writeValueAsBytes(after));
      cache.put(parent.dataset(), Cached.of(after));
    } catch (KeeperException.BadVersionException raced) {
      cache.remove(parent.dataset());
    }
    return shards(parent.dataset());
  }

  /** Ids are never reused: a child's number is above its parent's. */
  private static int nextIdFloor(Shard parent) {
    return Integer.parseInt(parent.id().substring(parent.id().lastIndexOf(':') + 1)) + 1;
  }

  /** The shards of a dataset, creating its first shard when it has none. */
  public List<Shard> shards(String dataset) throws Exception {
    return cached(dataset).shards();
  }

  /** The dataset's shard over exactly {@code range}; empty once it was split. */
  public Optional<Shard> find(String dataset, KeyRange range) throws Exception {
    Shard shard = cached(dataset).byStart().get(range.start());
    return shard != null && shard.range().equals(range) ? Optional.of(shard) : Optional.empty();
  }

  private Cached cached(String dataset) throws Exception {
    Cached known = cache.get(dataset);
    if (known != null) {
      return known;
    }
    String path = ZkPaths.shards(dataset);
    List<Shard> shards;
    try {
      shards = json.readValue(curator.getData().forPath(path), SHARDS);
    } catch (KeeperException.NoNodeException e) {
      shards = List.of(new Shard(dataset + ":0", dataset, KeyRange.ALL));
      try {
        curator.create().creatingParentsIfNeeded().forPath(path, json.writeValueAsBytes(shards));
      } catch (KeeperException.NodeExistsException raced) {
        shards = json.readValue(curator.getData().forPath(path), SHARDS);
      }
    }
    Cached loaded = Cached.of(shards);
    cache.put(dataset, loaded);
    return loaded;
  }
}
