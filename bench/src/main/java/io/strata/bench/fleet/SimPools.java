package io.strata.bench.fleet;

import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The simulated pools of the fleet: what each holds of the one simulated dataset, as sizes and
 * checksums, no bytes. A pool that lost power holds its objects but answers nothing. Thread-safe.
 */
final class SimPools {
  /**
   * One object as a pool holds it.
   *
   * @param size bytes
   * @param sha256 Strata's checksum marker, which every copy carries
   * @param lastModified when it was written to this pool
   */
  record SimObject(long size, String sha256, Instant lastModified) {}

  private final Map<String, NavigableMap<String, SimObject>> pools = new ConcurrentHashMap<>();
  private final Map<String, Boolean> reachable = new ConcurrentHashMap<>();

  /** Key to the pools that hold it: what counting copies per object reads, not every pool. */
  private final Map<String, Set<String>> holders = new ConcurrentHashMap<>();

  /** Adds an empty, reachable pool. */
  void add(String pool) {
    pools.put(pool, new ConcurrentSkipListMap<>(KeyOrder.COMPARATOR));
    reachable.put(pool, true);
  }

  /** Whether the pool answers requests (its rack has power). */
  boolean reachable(String pool) {
    return reachable.getOrDefault(pool, false);
  }

  void setReachable(String pool, boolean up) {
    reachable.put(pool, up);
  }

  void put(String pool, String key, SimObject object) {
    pools.get(pool).put(key, object);
    holders.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(pool);
  }

  SimObject get(String pool, String key) {
    return pools.get(pool).get(key);
  }

  /** Removes a key; returns what was there, or null. */
  SimObject remove(String pool, String key) {
    SimObject gone = pools.get(pool).remove(key);
    Set<String> of = holders.get(key);
    if (of != null) {
      of.remove(pool);
    }
    return gone;
  }

  /** The pools that hold the key, reachable or not. */
  Set<String> holding(String key) {
    return holders.getOrDefault(key, Set.of());
  }

  /** The objects of {@code range} on {@code pool}, in key order, as a listing shows them. */
  List<ListedObject> list(String pool, KeyRange range) {
    NavigableMap<String, SimObject> all = pools.get(pool);
    NavigableMap<String, SimObject> in =
        range.end().isEmpty()
            ? all.tailMap(range.start(), true)
            : all.subMap(range.start(), true, range.end(), false);
    List<ListedObject> out = new ArrayList<>(in.size());
    in.forEach(
        (key, o) ->
            out.add(new ListedObject(key, o.size(), o.lastModified(), etag(o), o.sha256())));
    return out;
  }

  /** Every pool id. */
  java.util.Set<String> ids() {
    return pools.keySet();
  }

  /** Objects held by {@code pool}, reachable or not. */
  NavigableMap<String, SimObject> contents(String pool) {
    return pools.get(pool);
  }

  /** An ETag derived from the checksum: equal copies list equal ETags, as MD5-checked PUTs do. */
  static String etag(SimObject o) {
    return o.sha256().substring(0, 32);
  }
}
