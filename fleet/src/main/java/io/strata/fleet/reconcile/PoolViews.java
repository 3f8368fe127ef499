package io.strata.fleet.reconcile;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leader's view of what each pool holds of each shard: the last scan of each, and which scans
 * are stale (a task has changed or read the pool since). Held in memory and cleared when leadership
 * changes: a new leader scans again before it plans. Thread-safe.
 */
public final class PoolViews {
  /** Shard id, then pool, to the last scan. */
  private final Map<String, Map<String, PoolScan>> scans = new ConcurrentHashMap<>();

  private final Set<String> stale = ConcurrentHashMap.newKeySet();

  /** Per shard, a count of changes to its scans: a shard planned at one count is planned again. */
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  public void clear() {
    scans.clear();
    stale.clear();
    versions.clear();
  }

  /** How many times the shard's scans changed (a scan recorded, one made stale); 0 for none. */
  public long version(String shardId) {
    return versions.getOrDefault(shardId, 0L);
  }

  /** The shard's last scans, by pool. */
  public Map<String, PoolScan> of(String shardId) {
    return scans.getOrDefault(shardId, Map.of());
  }

  /** Whether the pool's scan of the shard is missing, stale, or older than {@code maxAge}. */
  public boolean needsScan(
      Shard shard, String pool, java.time.Instant now, java.time.Duration maxAge) {
    PoolScan scan = of(shard.id()).get(pool);
    return scan == null
        || scan.scannedAt().plus(maxAge).isBefore(now)
        || stale.contains(key(shard.id(), pool));
  }

  /** A task has changed or read what the pool holds of the shard: scan it again before planning. */
  public void markStale(Shard shard, String pool) {
    stale.add(key(shard.id(), pool));
    versions.merge(shard.id(), 1L, Long::sum);
  }

  public void scanned(Shard shard, PoolScan scan) {
    scans.computeIfAbsent(shard.id(), k -> new ConcurrentHashMap<>()).put(scan.pool(), scan);
    stale.remove(key(shard.id(), scan.pool()));
    versions.merge(shard.id(), 1L, Long::sum);
  }

  /** Forgets a shard that was split. */
  public void forgetShard(String shardId) {
    scans.remove(shardId);
    versions.remove(shardId);
    stale.removeIf(k -> k.startsWith(shardId + "|"));
  }

  /** Whether a current scan of every one of {@code shards} finds the pool empty. */
  public boolean emptyIn(String pool, Iterable<Shard> shards) {
    for (Shard shard : shards) {
      PoolScan scan = of(shard.id()).get(pool);
      if (scan == null || !scan.objects().isEmpty() || stale.contains(key(shard.id(), pool))) {
        return false;
      }
    }
    return true;
  }

  /** Objects and bytes the scans find on the pool, over every shard. */
  public long[] held(String pool) {
    long objects = 0;
    long bytes = 0;
    for (Map<String, PoolScan> byPool : scans.values()) {
      PoolScan scan = byPool.get(pool);
      if (scan != null) {
        objects += scan.objects().size();
        bytes += scan.bytes();
      }
    }
    return new long[] {objects, bytes};
  }

  /** Bytes on every pool by the scans; the base of the misplaced cap. */
  public long storedBytes() {
    long bytes = 0;
    for (Map<String, PoolScan> byPool : scans.values()) {
      for (PoolScan scan : byPool.values()) {
        bytes += scan.bytes();
      }
    }
    return bytes;
  }

  public Map<String, Map<String, PoolScan>> all() {
    return Map.copyOf(scans);
  }

  private static String key(String shardId, String pool) {
    return shardId + "|" + pool;
  }
}
