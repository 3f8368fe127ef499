package io.strata.controller.reconcile;

import io.strata.agent.task.KeyRange;
import io.strata.agent.task.Task;
import io.strata.agent.task.TaskType;
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
final class RoundQueue {
  final Map<String, Integer> perPool = new HashMap<>();
  final long cap;
  long voluntary;
  private final Set<String> pendingScans = new HashSet<>();

  /**
   * @param queued the queue at the start of the round
   * @param storedBytes bytes on the pools, the base of the cap
   * @param misplacedShare the share of them voluntary movement may have queued at once
   */
  RoundQueue(List<QueuedTask> queued, long storedBytes, double misplacedShare) {
    for (QueuedTask q : queued) {
      Task t = q.task();
      if (t.type() == TaskType.SCAN) {
        pendingScans.add(scanKey(t.dataset(), t.range(), t.sourcePool()));
      } else if (t.type() == TaskType.VERIFY) {
        pendingScans.add(scrubKey(t.dataset(), t.range(), t.sourcePool()));
      }
      perPool.merge(q.executor(), 1, Integer::sum);
      if (isVoluntary(q.priority())) {
        voluntary += q.bytes();
      }
    }
    cap = (long) (misplacedShare * Math.max(storedBytes, 1));
  }

  /** True when no scan of the shard on the pool is pending; it is taken as pending from now. */
  boolean claimScan(Shard shard, String pool) {
    return pendingScans.add(scanKey(shard.dataset(), shard.range(), pool));
  }

  /** True when no scrub of the shard on the pool is pending; it is taken as pending from now. */
  boolean claimScrub(Shard shard, String pool) {
    return pendingScans.add(scrubKey(shard.dataset(), shard.range(), pool));
  }

  /** Movement the misplaced cap and the pause switch hold back: all but repairs and scans. */
  static boolean isVoluntary(TaskPriority priority) {
    return priority.ordinal() >= TaskPriority.TRANSITION.ordinal() && priority != TaskPriority.SCAN;
  }

  private static String scrubKey(String dataset, KeyRange range, String pool) {
    return "verify|" + scanKey(dataset, range, pool);
  }

  private static String scanKey(String dataset, KeyRange range, String pool) {
    return dataset + "|" + range + "|" + pool;
  }
}
