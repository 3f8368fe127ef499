package io.strata.controller.reconcile;

import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.TaskResult;
import io.strata.agent.task.TaskType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;

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
  private final Map<MoveReason, AtomicLong> movedBytes = new EnumMap<>(MoveReason.class);
  private final Map<MoveReason, AtomicLong> movedObjects = new EnumMap<>(MoveReason.class);
  private final Map<String, ShardPlan> shardStates = new ConcurrentHashMap<>();
  private volatile long placementEpoch = -1;
  private final AtomicLong drainedBytes = new AtomicLong();
  private volatile double drainRate;
  private long sampledDrainedBytes;
  private long sampledAtNanos;
  private volatile DoubleConsumer roundObserver = seconds -> {};

  public ReconcileStats() {
    for (TaskType t : TaskType.values()) {
      done.put(t, new AtomicLong());
      failed.put(t, new AtomicLong());
    }
    for (MoveReason r : MoveReason.values()) {
      movedBytes.put(r, new AtomicLong());
      movedObjects.put(r, new AtomicLong());
    }
  }

  void roundDone(long nanos, int planned, List<QueuedTask> queued, long epoch) {
    rounds.incrementAndGet();
    lastRoundSeconds = nanos / 1e9;
    lastPlanned = planned;
    queue = List.copyOf(queued);
    placementEpoch = epoch;
    roundObserver.accept(lastRoundSeconds);
  }

  /** Called with each round's duration in seconds (the metrics' histogram). */
  public void onRound(DoubleConsumer observer) {
    this.roundObserver = observer;
  }

  void shardPlanned(String shardId, ShardPlan plan) {
    shardStates.put(shardId, plan);
  }

  /**
   * Updates the rate at which draining pools empty: an exponentially weighted average of bytes
   * removed per second between rounds. Called once per round.
   */
  synchronized void sampleDrain(long nanos) {
    long bytes = drainedBytes.get();
    if (sampledAtNanos != 0 && nanos > sampledAtNanos) {
      double rate = (bytes - sampledDrainedBytes) / ((nanos - sampledAtNanos) / 1e9);
      drainRate = drainRate == 0 ? rate : 0.8 * drainRate + 0.2 * rate;
    }
    sampledDrainedBytes = bytes;
    sampledAtNanos = nanos;
  }

  /** Bytes per second recently removed from draining pools. */
  public double drainRate() {
    return drainRate;
  }

  /** Forgets a shard that no longer exists (split). */
  void forgetShard(String shardId) {
    shardStates.remove(shardId);
  }

  /** Shards by their worst object's copy state, at their last planning. */
  public Map<CopyState, Long> shards() {
    Map<CopyState, Long> out = new EnumMap<>(CopyState.class);
    for (CopyState s : CopyState.values()) {
      out.put(s, 0L);
    }
    shardStates.values().forEach(p -> out.merge(p.worst(), 1L, Long::sum));
    return out;
  }

  /** Objects by copy state, at their shard's last planning. */
  public Map<CopyState, Long> objects() {
    Map<CopyState, Long> out = new EnumMap<>(CopyState.class);
    for (CopyState s : CopyState.values()) {
      out.put(s, 0L);
    }
    shardStates
        .values()
        .forEach(p -> p.objects().forEach((s, n) -> out.merge(s, (long) n, Long::sum)));
    return out;
  }

  /** Bytes copied, by reason. */
  public Map<MoveReason, Long> movedBytes() {
    Map<MoveReason, Long> out = new EnumMap<>(MoveReason.class);
    movedBytes.forEach((r, n) -> out.put(r, n.get()));
    return out;
  }

  /** Objects copied, by reason. */
  public Map<MoveReason, Long> movedObjects() {
    Map<MoveReason, Long> out = new EnumMap<>(MoveReason.class);
    movedObjects.forEach((r, n) -> out.put(r, n.get()));
    return out;
  }

  /** The map epoch of the last round. */
  public long placementEpoch() {
    return placementEpoch;
  }

  /** Forgets the shards' states (a replica that stops leading). */
  void clearShards() {
    shardStates.clear();
  }

  void roundFailed() {
    failedRounds.incrementAndGet();
  }

  void taskDone(TaskResult result, TaskPriority priority) {
    done.get(result.type()).incrementAndGet();
    MoveReason reason = MoveReason.of(priority);
    long copied = result.count(KeyStatus.COPIED);
    long copiedSize = result.bytes(KeyStatus.COPIED);
    copiedObjects.addAndGet(copied);
    copiedBytes.addAndGet(copiedSize);
    movedObjects.get(reason).addAndGet(copied);
    movedBytes.get(reason).addAndGet(copiedSize);
    deletedObjects.addAndGet(result.count(KeyStatus.DELETED));
    if (priority == TaskPriority.DRAIN) {
      drainedBytes.addAndGet(result.bytes(KeyStatus.DELETED));
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
