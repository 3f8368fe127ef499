package io.strata.controller.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.agent.task.KeyRange;
import io.strata.controller.zookeeper.ZkPaths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The shard map of each dataset, kept in ZooKeeper under {@link ZkPaths#SHARDS}. A dataset starts
 * as one shard over its whole key space, with id {@code <dataset>:0}; ids are stable and never
 * reused. Thread-safe.
 *
 * <p>Splitting shards past an object or byte threshold is not built yet: every dataset is one
 * shard, which suits datasets of up to some millions of objects per pool scan.
 */
public final class ShardStore {
  private static final TypeReference<List<Shard>> SHARDS = new TypeReference<>() {};

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final Map<String, List<Shard>> cache = new ConcurrentHashMap<>();

  public ShardStore(CuratorFramework curator, ObjectMapper json) {
    this.curator = curator;
    this.json = json;
  }

  /** The shards of a dataset, creating its first shard when it has none. */
  public List<Shard> shards(String dataset) throws Exception {
    List<Shard> known = cache.get(dataset);
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
    cache.put(dataset, List.copyOf(shards));
    return cache.get(dataset);
  }
}
