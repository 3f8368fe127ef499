package io.strata.fleet.reconcile;

import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.ListedObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits what a sweep of a dataset listed on one pool into what the pool holds of each shard. */
public final class Sweeps {
  private Sweeps() {}

  /**
   * @param shards the dataset's shards, in the order of their ranges' starts
   * @param listing every object of the dataset the pool holds, in any order
   * @return each shard the pool holds objects of, to a scan of it; a key no shard covers (the shard
   *     map changed under the sweep) is left out, and its shard scans it on its own
   */
  public static Map<Shard, PoolScan> byShard(
      List<Shard> shards, String pool, long epoch, Instant at, List<ListedObject> listing) {
    Map<Shard, Map<String, ListedObject>> found = new HashMap<>();
    for (ListedObject o : listing) {
      Shard shard = covering(shards, o.key());
      if (shard != null) {
        found.computeIfAbsent(shard, s -> new LinkedHashMap<>()).put(o.key(), o);
      }
    }
    Map<Shard, PoolScan> out = new HashMap<>();
    found.forEach((shard, objects) -> out.put(shard, new PoolScan(pool, epoch, at, objects)));
    return out;
  }

  /** The shard whose range holds the key, by binary search; null when none does. */
  static Shard covering(List<Shard> shards, String key) {
    int lo = 0;
    int hi = shards.size() - 1;
    Shard best = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Shard s = shards.get(mid);
      if (KeyOrder.compare(s.range().start(), key) <= 0) {
        best = s;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best != null && best.range().contains(key) ? best : null;
  }
}
