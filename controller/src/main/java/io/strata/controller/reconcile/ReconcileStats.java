package io.strata.controller.reconcile;

import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.TaskResult;
import io.strata.agent.task.TaskType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the reconciler: rounds, tasks done and failed, bytes moved. Thread-safe. */
public final class ReconcileStats {
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong failedRounds = new AtomicLong();
  private volatile double lastRoundSeconds;
  private volatile int lastPlanned;
  private volatile List<QueuedTask> queue = List.of();
  private final Map<TaskType, AtomicLong> done = new EnumMap<>(TaskType.class);
  private final Map<TaskType, AtomicLong> failed = new EnumMap<>(TaskType.class);
  private final AtomicLong copiedBytes = new AtomicLong();
  private final AtomicLong copiedObjects = new AtomicLong();
  private final AtomicLong deletedObjects = new AtomicLong();

  public ReconcileStats() {
    for (TaskType t : TaskType.values()) {
      done.put(t, new AtomicLong());
      failed.put(t, new AtomicLong());
    }
  }

  void roundDone(long nanos, int planned, List<QueuedTask> queued) {
    rounds.incrementAndGet();
    lastRoundSeconds = nanos / 1e9;
    lastPlanned = planned;
    queue = List.copyOf(queued);
  }

  void roundFailed() {
    failedRounds.incrementAndGet();
  }

  void taskDone(TaskResult result) {
    done.get(result.type()).incrementAndGet();
    for (KeyOutcome k : result.keys()) {
      if (k.status() == KeyStatus.COPIED) {
        copiedObjects.incrementAndGet();
        copiedBytes.addAndGet(Math.max(0, k.size()));
      } else if (k.status() == KeyStatus.DELETED) {
        deletedObjects.incrementAndGet();
      }
    }
  }

  void taskFailed(TaskType type) {
    failed.get(type).incrementAndGet();
  }

  public long rounds() {
    return rounds.get();
  }

  public long failedRounds() {
    return failedRounds.get();
  }

  public double lastRoundSeconds() {
    return lastRoundSeconds;
  }

  public int lastPlanned() {
    return lastPlanned;
  }

  /** The queue as of the last round, highest priority first. */
  public List<QueuedTask> queue() {
    return queue;
  }

  public long done(TaskType type) {
    return done.get(type).get();
  }

  public long failed(TaskType type) {
    return failed.get(type).get();
  }

  public long copiedBytes() {
    return copiedBytes.get();
  }

  public long copiedObjects() {
    return copiedObjects.get();
  }

  public long deletedObjects() {
    return deletedObjects.get();
  }
}
