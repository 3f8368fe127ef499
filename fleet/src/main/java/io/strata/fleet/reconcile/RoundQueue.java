package io.strata.fleet.reconcile;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one reconcile round needs to know of the queue, read once: scans and scrubs pending, tasks
 * per executing pool, voluntary bytes queued, and the misplaced cap. Planning updates it as it
 * queues, so the throttles hold across the round's shards without reading the queue again. Used by
 * the round's thread only.
 */
public final class RoundQueue {
  private final Map<String, Integer> perPool = new HashMap<>();
  private final Map<String, Integer> ingestPerDatasetAndPool = new HashMap<>();
  private final long cap;
  private long voluntary;
  private int repairs;
  private final Set<String> pendingScans = new HashSet<>();
  private final Map<String, Integer> scrubsPerPool = new HashMap<>();

  /**
   * @param queued the queue at the start of the round
   * @param storedBytes bytes on the pools, the base of the cap
   * @param misplacedShare the share of them voluntary movement may have queued at once
   */
  public RoundQueue(List<QueuedTask> queued, long storedBytes, double misplacedShare) {
    for (QueuedTask q : queued) {
      Task t = q.task();
      if (t.type() == TaskType.SCAN) {
        pendingScans.add(scanKey(t.dataset(), t.range(), t.sourcePool()));
      } else if (t.type() == TaskType.VERIFY) {
        pendingScans.add(scrubKey(t.dataset(), t.range(), t.sourcePool()));
        scrubsPerPool.merge(q.executor(), 1, Integer::sum);
      }
      perPool.merge(q.executor(), 1, Integer::sum);
      if (q.priority() == TaskPriority.INGEST) {
        ingestPerDatasetAndPool.merge(t.dataset() + "|" + q.executor(), 1, Integer::sum);
      }
      if (isVoluntary(q.priority())) {
        voluntary += q.bytes();
      }
      if (isRepair(q.priority())) {
        repairs++;
      }
    }
    cap = (long) (misplacedShare * Math.max(storedBytes, 1));
  }

  /** Tasks queued for the pool to run, this round's included. */
  public int tasksOn(String pool) {
    return perPool.getOrDefault(pool, 0);
  }

  /** Scrubs queued for the pool to run, this round's included. */
  public int scrubsOn(String pool) {
    return scrubsPerPool.getOrDefault(pool, 0);
  }

  /** Ingest tasks of {@code dataset} queued for {@code pool} to run, this round's included. */
  public int ingestOn(String dataset, String pool) {
    return ingestPerDatasetAndPool.getOrDefault(dataset + "|" + pool, 0);
  }

  /**
   * Whether voluntary movement of {@code bytes} stays under the misplaced cap. The first voluntary
   * task is always admitted, so that one larger than the cap still moves, alone.
   */
  public boolean admitsVoluntary(long bytes) {
    return voluntary == 0 || voluntary + bytes <= cap;
  }

  /** Counts a task just queued for {@code pool}, moving {@code bytes} if it is voluntary. */
  public void queued(String pool, TaskPriority priority, long bytes) {
    queued(null, pool, priority, bytes);
  }

  /** As {@link #queued(String, TaskPriority, long)}, counting an ingest task of {@code dataset}. */
  public void queued(String dataset, String pool, TaskPriority priority, long bytes) {
    if (priority == TaskPriority.INGEST && dataset != null) {
      ingestPerDatasetAndPool.merge(dataset + "|" + pool, 1, Integer::sum);
    }
    perPool.merge(pool, 1, Integer::sum);
    if (isVoluntary(priority)) {
      voluntary += bytes;
    }
    if (isRepair(priority)) {
      repairs++;
    }
  }

  /** Bytes of voluntary movement queued, this round's included. */
  public long voluntaryBytes() {
    return voluntary;
  }

  /** Repairs of missing copies queued, this round's included. */
  public int repairsQueued() {
    return repairs;
  }

  /** Whether tasks of this priority re-make missing copies. */
  public static boolean isRepair(TaskPriority priority) {
    return priority == TaskPriority.DATA_AT_RISK || priority == TaskPriority.MISSING_COPY;
  }

  /**
   * True when no scan of the dataset's {@code range} on the pool is pending (a sweep is a scan of
   * {@link io.strata.protocol.task.KeyRange#ALL}); it is taken as pending from now.
   */
  public boolean claimScan(String dataset, KeyRange range, String pool) {
    return pendingScans.add(scanKey(dataset, range, pool));
  }

  /** True when no scrub of the shard on the pool is pending; it is taken as pending from now. */
  public boolean claimScrub(Shard shard, String pool) {
    return pendingScans.add(scrubKey(shard.dataset(), shard.range(), pool));
  }

  /** True when a scrub of the shard on the pool is pending (see {@link #claimScrub}). */
  public boolean scrubPending(Shard shard, String pool) {
    return pendingScans.contains(scrubKey(shard.dataset(), shard.range(), pool));
  }

  /** Counts a scrub just queued for {@code pool}. */
  public void scrubQueued(String pool, TaskPriority priority) {
    scrubsPerPool.merge(pool, 1, Integer::sum);
    queued(pool, priority, 0);
  }

  /** Movement the misplaced cap and the pause switch hold back: all but repairs and scans. */
  public static boolean isVoluntary(TaskPriority priority) {
    return priority.ordinal() >= TaskPriority.TRANSITION.ordinal() && !priority.reads();
  }

  private static String scrubKey(String dataset, KeyRange range, String pool) {
    return "verify|" + scanKey(dataset, range, pool);
  }

  private static String scanKey(String dataset, KeyRange range, String pool) {
    return dataset + "|" + range + "|" + pool;
  }
}
