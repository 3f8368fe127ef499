package io.strata.fleet.reconcile;

import io.strata.protocol.task.TaskType;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the task queue keeps of its tasks, besides the tasks themselves, so that its frequent
 * questions cost what they touch rather than the whole queue: the waiting tasks of each executing
 * pool (a lease is asked for every heartbeat), the ids of each shard's tasks (asked once per shard
 * per round), the shards with a delete-copy task leased, and the bytes of leased copies per rack.
 * Not thread-safe: the task queue guards it.
 */
public final class TaskIndex {
  /** Tasks waiting for a lease, by executing pool, in lease order. */
  private final Map<String, NavigableSet<QueuedTask>> waiting = new HashMap<>();

  /**
   * The ids of each shard's tasks, whatever their state. Concurrent so that {@link #hasShard} may
   * be asked without the queue's lock; the sets are changed under it.
   */
  private final Map<String, Set<String>> byShard = new java.util.concurrent.ConcurrentHashMap<>();

  /** Shards with a delete-copy task leased, and how many. */
  private final Map<String, Integer> deleting = new HashMap<>();

  /** Bytes of leased copies per rack. */
  private final RackLedger racks;

  /**
   * @param budget the cap on bytes of copies in flight per rack
   */
  public TaskIndex(RackBudget budget) {
    this.racks = new RackLedger(budget);
  }

  public void clear() {
    waiting.clear();
    byShard.clear();
    deleting.clear();
    racks.clear();
  }

  /** Indexes {@code q} in place of {@code previous}, the task's earlier state (null if new). */
  public void store(QueuedTask previous, QueuedTask q) {
    unindex(previous);
    byShard.computeIfAbsent(shardOf(q), k -> new HashSet<>()).add(q.task().id());
    if (q.leased()) {
      if (isDelete(q)) {
        deleting.merge(shardOf(q), 1, Integer::sum);
      }
      racks.charge(q);
    } else {
      waiting.computeIfAbsent(q.executor(), k -> new TreeSet<>(QueuedTask.ORDER)).add(q);
    }
  }

  /** Forgets {@code q}, a task that has left the queue. */
  public void remove(QueuedTask q) {
    unindex(q);
    byShard.computeIfPresent(
        shardOf(q),
        (k, ids) -> {
          ids.remove(q.task().id());
          return ids.isEmpty() ? null : ids;
        });
  }

  /** The pools whose agents run tasks that wait for a lease. */
  public Set<String> poolsWithWaiting() {
    return Collections.unmodifiableSet(waiting.keySet());
  }

  /** The tasks the pool's agent runs that wait for a lease, in lease order. */
  public NavigableSet<QueuedTask> waiting(String pool) {
    return waiting.getOrDefault(pool, Collections.emptyNavigableSet());
  }

  /** Whether {@code q} is a delete-copy task and one of its shard is leased: they run in turn. */
  public boolean deleteWaits(QueuedTask q) {
    return isDelete(q) && deleting.containsKey(shardOf(q));
  }

  /** Whether leasing {@code q} keeps every rack it goes through within the budget. */
  public boolean withinRackBudget(QueuedTask q) {
    return racks.admits(q);
  }

  /** Bytes of leased copies going through {@code rack}. */
  public long inFlight(String rack) {
    return racks.inFlight(rack);
  }

  /** Whether the shard has a task in the queue; safe to ask without the queue's lock. */
  public boolean hasShard(String dataset, String rangeStart) {
    return byShard.containsKey(shardOf(dataset, rangeStart));
  }

  /** The ids of the shard's tasks, whatever their state. */
  public Set<String> ofShard(String dataset, String rangeStart) {
    return byShard.getOrDefault(shardOf(dataset, rangeStart), Set.of());
  }

  public static boolean isDelete(QueuedTask q) {
    return q.task().type() == TaskType.DELETE_COPY;
  }

  private void unindex(QueuedTask q) {
    if (q == null) {
      return;
    }
    if (q.leased()) {
      if (isDelete(q)) {
        deleting.computeIfPresent(shardOf(q), (k, n) -> n == 1 ? null : n - 1);
      }
      racks.release(q);
      return;
    }
    NavigableSet<QueuedTask> queued = waiting.get(q.executor());
    if (queued != null) {
      queued.remove(q);
      if (queued.isEmpty()) {
        waiting.remove(q.executor());
      }
    }
  }

  /**
   * The shard a task works on, as the queue tells shards apart (see {@code
   * TaskQueue#retainPlanned}).
   */
  private static String shardOf(QueuedTask q) {
    return shardOf(q.task().dataset(), q.task().range().start());
  }

  private static String shardOf(String dataset, String rangeStart) {
    return dataset + "|" + rangeStart;
  }
}
