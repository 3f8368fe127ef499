package io.strata.fleet.reconcile;

import io.strata.protocol.task.ListedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leader's view of what each pool holds of each shard. Held in memory and cleared when
 * leadership changes: a new leader reads the pools again before it plans.
 *
 * <p>A pool is read two ways. A <em>sweep</em> lists everything a dataset has on the pool in one
 * task and tells, for every shard of the dataset at once, what the pool holds of it; a
 * <em>scan</em> lists one shard's range, after a task has changed or read that shard on the pool
 * (its view is then <em>stale</em>). Only the shards a pool holds objects of have a view of it: a
 * pool swept for the dataset holds nothing of a shard without one. So what the leader keeps and
 * reads grows with the copies, not with shards × pools (10<sup>6</sup> shards on 5·10<sup>4</sup>
 * pools would be 5·10<sup>10</sup> views, and as many scans).
 *
 * <p>Thread-safe: the dispatcher records scans from heartbeat threads while the reconciler plans.
 */
public final class PoolViews {
  /** Shard id, then pool, to the last scan that found objects. */
  private final Map<String, Map<String, PoolScan>> scans = new ConcurrentHashMap<>();

  /** Pool, then shard id, to the shard's dataset: the views {@link #scans} holds of the pool. */
  private final Map<String, Map<String, String>> holders = new HashMap<>();

  /** Shard id, then pool, to when a task changed or read the shard there. */
  private final Map<String, Map<String, Instant>> stale = new ConcurrentHashMap<>();

  /** Pool, then shard id, to the shard's dataset: the stale marks on the pool. */
  private final Map<String, Map<String, String>> staleOn = new HashMap<>();

  /** Pool, then dataset, to when its last sweep was recorded. */
  private final Map<String, Map<String, Instant>> sweeps = new ConcurrentHashMap<>();

  /** Per shard, a count of changes to its view: a shard planned at one count is planned again. */
  private final Map<String, Long> versions = new ConcurrentHashMap<>();

  private long storedBytes;

  public synchronized void clear() {
    scans.clear();
    holders.clear();
    stale.clear();
    staleOn.clear();
    sweeps.clear();
    versions.clear();
    storedBytes = 0;
  }

  /** How many times the shard's view changed (a scan recorded, one made stale); 0 for none. */
  public long version(String shardId) {
    return versions.getOrDefault(shardId, 0L);
  }

  /** The shard's last scans, by pool, of the pools that hold objects of it. */
  public Map<String, PoolScan> of(String shardId) {
    return scans.getOrDefault(shardId, Map.of());
  }

  /** The pools whose view of the shard is stale: each must scan it again before it is planned. */
  public Set<String> staleOf(String shardId) {
    return stale.getOrDefault(shardId, Map.of()).keySet();
  }

  /** When the pool was last swept for the dataset; null when it never was. */
  public Instant sweptAt(String pool, String dataset) {
    return sweeps.getOrDefault(pool, Map.of()).get(dataset);
  }

  /** Whether the pool was swept for the dataset less than {@code maxAge} before {@code now}. */
  public boolean sweepCurrent(String pool, String dataset, Instant now, Duration maxAge) {
    Instant at = sweptAt(pool, dataset);
    return at != null && !at.plus(maxAge).isBefore(now);
  }

  /**
   * The pool's sweeps no longer count (it is lost): it is swept again before shards are planned.
   */
  public void sweepAgain(String pool) {
    sweeps.remove(pool);
  }

  /**
   * A task has changed or read what the pool holds of the shard, at {@code at}: scan it again
   * before planning.
   */
  public synchronized void markStale(Shard shard, String pool, Instant at) {
    stale.computeIfAbsent(shard.id(), k -> new ConcurrentHashMap<>()).put(pool, at);
    staleOn.computeIfAbsent(pool, k -> new HashMap<>()).put(shard.id(), shard.dataset());
    bump(shard.id());
  }

  /** A scan of one shard on one pool. */
  public synchronized void scanned(Shard shard, PoolScan scan) {
    put(shard, scan);
    clearStale(shard.id(), scan.pool());
    bump(shard.id());
  }

  /**
   * A task's own result told what it left of the shard on the pool, so the view is brought up to
   * date without a scan: a copy that read back every key it named on the pool ({@code landed}, as
   * the source's view shows them), or a delete that removed every key it named ({@code gone}). The
   * copy and a scan would differ only in what the listing shows of the copy (its time, its ETag),
   * which planning does not read. A pool whose view of the shard is stale for another task still
   * scans it. The view keeps the epoch of its last listing when that is older than the task's, so
   * that a deletion waiting for scans at the current epoch still waits for one.
   *
   * @param epoch the cluster-map epoch the task was issued at; that of the view if the pool had
   *     none of the shard (a pool swept for the dataset held nothing of it then)
   */
  public synchronized void patched(
      Shard shard,
      String pool,
      Map<String, ListedObject> landed,
      Set<String> gone,
      long epoch,
      Instant at) {
    if (stale.getOrDefault(shard.id(), Map.of()).containsKey(pool)) {
      return;
    }
    PoolScan last = of(shard.id()).get(pool);
    Map<String, ListedObject> objects = new HashMap<>(last == null ? Map.of() : last.objects());
    objects.keySet().removeAll(gone);
    objects.putAll(landed);
    long kept = last == null ? epoch : Math.min(last.epoch(), epoch);
    put(shard, new PoolScan(pool, kept, last == null ? at : last.scannedAt(), objects));
    bump(shard.id());
  }

  /**
   * A sweep of the dataset on the pool: {@code found} is what it holds of each shard that has
   * objects there. Every other shard of the dataset holds nothing there. Stale marks made before
   * the sweep was issued are cleared; a shard's version changes only when its view did.
   *
   * @param issuedAt when the sweep was queued: a task that ended after it may have changed the pool
   *     after the listing, so its marks stay
   */
  public synchronized void swept(
      String dataset, String pool, Instant issuedAt, Instant now, Map<Shard, PoolScan> found) {
    Map<String, String> before = new HashMap<>(holders.getOrDefault(pool, Map.of()));
    for (var e : found.entrySet()) {
      Shard shard = e.getKey();
      PoolScan last = of(shard.id()).get(pool);
      put(shard, e.getValue());
      before.remove(shard.id());
      if (last == null || !last.objects().equals(e.getValue().objects())) {
        bump(shard.id());
      }
    }
    before.forEach(
        (shardId, of) -> {
          if (of.equals(dataset)) {
            remove(shardId, pool);
            bump(shardId);
          }
        });
    Map<String, String> marked = new HashMap<>(staleOn.getOrDefault(pool, Map.of()));
    marked.forEach(
        (shardId, of) -> {
          Instant at = stale.getOrDefault(shardId, Map.of()).get(pool);
          if (of.equals(dataset) && at != null && at.isBefore(issuedAt)) {
            clearStale(shardId, pool);
            bump(shardId);
          }
        });
    sweeps.computeIfAbsent(pool, k -> new ConcurrentHashMap<>()).put(dataset, now);
  }

  /**
   * Forgets a shard that was split.
   *
   * @return the pools that held objects of it, which its parts must scan before they are planned
   */
  public synchronized Set<String> forgetShard(String shardId) {
    Set<String> pools = new HashSet<>(of(shardId).keySet());
    pools.forEach(pool -> remove(shardId, pool));
    new HashSet<>(staleOf(shardId)).forEach(pool -> clearStale(shardId, pool));
    scans.remove(shardId);
    versions.remove(shardId);
    return pools;
  }

  /**
   * Whether the pool holds nothing of the dataset: it was swept for it, and no scan since found
   * objects or is still due.
   */
  public synchronized boolean emptyIn(String pool, String dataset) {
    return sweptAt(pool, dataset) != null
        && !holders.getOrDefault(pool, Map.of()).containsValue(dataset)
        && !staleOn.getOrDefault(pool, Map.of()).containsValue(dataset);
  }

  /** Objects and bytes the scans find on the pool, over every shard. */
  public synchronized long[] held(String pool) {
    long objects = 0;
    long bytes = 0;
    for (String shardId : holders.getOrDefault(pool, Map.of()).keySet()) {
      PoolScan scan = of(shardId).get(pool);
      objects += scan.objects().size();
      bytes += scan.bytes();
    }
    return new long[] {objects, bytes};
  }

  /** Bytes on every pool by the scans; the base of the misplaced cap. */
  public synchronized long storedBytes() {
    return storedBytes;
  }

  public Map<String, Map<String, PoolScan>> all() {
    return Map.copyOf(scans);
  }

  /** Records a scan; one that found nothing leaves no view (nothing there is what none says). */
  private void put(Shard shard, PoolScan scan) {
    if (scan.objects().isEmpty()) {
      remove(shard.id(), scan.pool());
      return;
    }
    PoolScan last =
        scans.computeIfAbsent(shard.id(), k -> new ConcurrentHashMap<>()).put(scan.pool(), scan);
    storedBytes += scan.bytes() - (last == null ? 0 : last.bytes());
    holders.computeIfAbsent(scan.pool(), k -> new HashMap<>()).put(shard.id(), shard.dataset());
  }

  private void remove(String shardId, String pool) {
    Map<String, PoolScan> byPool = scans.get(shardId);
    PoolScan last = byPool == null ? null : byPool.remove(pool);
    if (last != null) {
      storedBytes -= last.bytes();
    }
    if (byPool != null && byPool.isEmpty()) {
      scans.remove(shardId);
    }
    Map<String, String> shards = holders.get(pool);
    if (shards != null) {
      shards.remove(shardId);
      if (shards.isEmpty()) {
        holders.remove(pool);
      }
    }
  }

  private void clearStale(String shardId, String pool) {
    Map<String, Instant> pools = stale.get(shardId);
    if (pools != null) {
      pools.remove(pool);
      if (pools.isEmpty()) {
        stale.remove(shardId);
      }
    }
    Map<String, String> shards = staleOn.get(pool);
    if (shards != null) {
      shards.remove(shardId);
      if (shards.isEmpty()) {
        staleOn.remove(pool);
      }
    }
  }

  private void bump(String shardId) {
    versions.merge(shardId, 1L, Long::sum);
  }
}
