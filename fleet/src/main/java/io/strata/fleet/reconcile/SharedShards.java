package io.strata.fleet.reconcile;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which failure domains hold copies of the same shards, by a placement table: what disruption
 * safety asks before a second domain may be drained. Pure; one pass over the table.
 */
public final class SharedShards {
  private SharedShards() {}

  /**
   * For each of {@code domains} (ids of domains at {@code level}), the other domains at that level
   * where the table places a copy of a shard that it also places a copy of.
   */
  public static Map<String, Set<String>> of(
      PlacementTable table, Set<String> domains, DomainLevel level) {
    Map<String, Set<String>> out = new HashMap<>();
    domains.forEach(d -> out.put(d, new TreeSet<>()));
    ClusterMap map = table.index().map();
    Map<String, String> domainOf = new HashMap<>();
    for (Pool pool : map.pools().values()) {
      map.ancestor(pool, level).ifPresent(d -> domainOf.put(pool.id(), d.id()));
    }
    table.forEach(
        (shard, rule, pools) -> {
          for (String pool : pools) {
            String here = domainOf.get(pool);
            Set<String> with = here == null ? null : out.get(here);
            if (with == null) {
              continue;
            }
            for (String other : pools) {
              String there = domainOf.get(other);
              if (there != null && !there.equals(here)) {
                with.add(there);
              }
            }
          }
        });
    return out;
  }
}
