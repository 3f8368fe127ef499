package io.strata.fleet.reconcile;

import io.strata.fleet.capacity.AgeProfile;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;

/** Counters of the reconciler: rounds, objects moved and deleted, shard states. Thread-safe. */
public final class ReconcileStats {
  private final AtomicLong rounds = new AtomicLong();
  private final AtomicLong roundNanos = new AtomicLong();
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
    for (MoveReason r : MoveReason.values()) {
      movedBytes.put(r, new AtomicLong());
      movedObjects.put(r, new AtomicLong());
    }
  }

  public void roundDone(long nanos, long epoch) {
    rounds.incrementAndGet();
    roundNanos.addAndGet(nanos);
    placementEpoch = epoch;
    roundObserver.accept(nanos / 1e9);
  }

  /** Called with each round's duration in seconds (the metrics' histogram). */
  public void onRound(DoubleConsumer observer) {
    this.roundObserver = observer;
  }

  public void shardPlanned(String shardId, ShardPlan plan) {
    shardStates.put(shardId, plan);
  }

  /**
   * Updates the rate at which draining pools empty: an exponentially weighted average of bytes
   * removed per second between rounds. Called once per round.
   */
  public synchronized void sampleDrain(long nanos) {
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

  /**
   * Per recall id, the objects it names and those of them on the hot tier, over the last plan of
   * every shard. One pass over the shards: for a call of the API, not for every round.
   */
  public Map<String, io.strata.fleet.recall.RecallProgress> recalls() {
    Map<String, io.strata.fleet.recall.RecallProgress> out = new java.util.TreeMap<>();
    for (ShardPlan plan : shardStates.values()) {
      plan.recalls()
          .forEach((id, p) -> out.merge(id, p, io.strata.fleet.recall.RecallProgress::plus));
    }
    return out;
  }

  /**
   * Per approved expiry id, the objects it covers that are still present, over the last plan of
   * every shard. One pass over the shards, as {@link #recalls}.
   */
  public Map<String, io.strata.fleet.expiry.ExpiryProgress> expiries() {
    Map<String, io.strata.fleet.expiry.ExpiryProgress> out = new java.util.TreeMap<>();
    for (ShardPlan plan : shardStates.values()) {
      plan.expiries()
          .forEach((id, p) -> out.merge(id, p, io.strata.fleet.expiry.ExpiryProgress::plus));
    }
    return out;
  }

  /** Per dataset and policy, the objects past expiry that no approved expiry covers yet. */
  public Map<io.strata.fleet.expiry.Due, io.strata.fleet.expiry.ExpiryProgress> due() {
    Map<io.strata.fleet.expiry.Due, io.strata.fleet.expiry.ExpiryProgress> out =
        new java.util.HashMap<>();
    for (ShardPlan plan : shardStates.values()) {
      plan.due().forEach((d, p) -> out.merge(d, p, io.strata.fleet.expiry.ExpiryProgress::plus));
    }
    return out;
  }

  /**
   * Each dataset's logical bytes under each policy, with their ages at {@code now} (on the policy
   * clock), over the last plan of every shard: for the capacity history. A plan made days ago (its
   * shard settled since) has its ages moved on by the days since. Only the datasets all of whose
   * shards have a plan are counted, so that one the leader has not finished planning (just elected,
   * or a shard just split) is left out rather than counted short. One pass over the shards.
   *
   * @param shards each dataset's shard ids, as the last round read them
   */
  public List<CapacitySample.DatasetBytes> stock(Instant now, Map<String, List<String>> shards) {
    List<CapacitySample.DatasetBytes> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> d : new TreeMap<>(shards).entrySet()) {
      // Per policy, then per whole days since planning, the profiles added up.
      Map<String, Map<Long, long[]>> byPolicy = new TreeMap<>();
      boolean complete = true;
      for (String shardId : d.getValue()) {
        ShardPlan plan = shardStates.get(shardId);
        if (plan == null || plan.stock() == null) {
          complete = false;
          break;
        }
        long days =
            Math.max(
                0,
                Math.floorDiv(now.getEpochSecond() - plan.stock().at().getEpochSecond(), 86_400L));
        plan.stock()
            .byPolicy()
            .forEach(
                (policy, ages) ->
                    ages.addTo(
                        byPolicy
                            .computeIfAbsent(policy, k -> new TreeMap<>())
                            .computeIfAbsent(days, k -> new long[AgeProfile.BUCKETS])));
      }
      if (!complete) {
        continue;
      }
      byPolicy.forEach(
          (policy, byDays) -> {
            long[] ages = new long[0];
            for (Map.Entry<Long, long[]> e : byDays.entrySet()) {
              ages =
                  AgeProfile.plus(
                      ages,
                      AgeProfile.aged(e.getValue(), (int) Math.min(e.getKey(), Integer.MAX_VALUE)));
            }
            ages = AgeProfile.trimmed(ages);
            out.add(
                new CapacitySample.DatasetBytes(d.getKey(), policy, AgeProfile.total(ages), ages));
          });
    }
    return out;
  }

  /**
   * Per dataset, when the oldest fresh upload not yet placed landed, by the last plan of every
   * shard (a shard's id is its dataset's name, a colon and more); datasets with none are left out.
   */
  public Map<String, java.time.Instant> landedSince() {
    Map<String, java.time.Instant> out = new java.util.TreeMap<>();
    shardStates.forEach(
        (shardId, plan) -> {
          if (plan.landedSince() != null) {
            out.merge(
                shardId.substring(0, Math.max(0, shardId.lastIndexOf(':'))),
                plan.landedSince(),
                (a, b) -> a.isBefore(b) ? a : b);
          }
        });
    return out;
  }

  /** Forgets a shard that no longer exists (split). */
  public void forgetShard(String shardId) {
    shardStates.remove(shardId);
  }

  /**
   * Forgets every shard not in {@code shardIds}, the shards of the round that just ended. A round
   * may plan a shard that a scan splits meanwhile, and record its plan after {@link #forgetShard}:
   * kept, that plan would count its objects as missing copies for good.
   */
  public void retain(Set<String> shardIds) {
    if (shardStates.size() > shardIds.size() || !shardIds.containsAll(shardStates.keySet())) {
      shardStates.keySet().retainAll(shardIds);
    }
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
  public void clearShards() {
    shardStates.clear();
  }

  public void taskDone(TaskResult result, TaskPriority priority) {
    MoveReason reason = MoveReason.of(priority);
    long copied = result.count(KeyStatus.COPIED);
    long copiedSize = result.bytes(KeyStatus.COPIED);
    copiedObjects.addAndGet(copied);
    movedObjects.get(reason).addAndGet(copied);
    movedBytes.get(reason).addAndGet(copiedSize);
    deletedObjects.addAndGet(result.count(KeyStatus.DELETED));
    if (priority == TaskPriority.DRAIN) {
      drainedBytes.addAndGet(result.bytes(KeyStatus.DELETED));
    }
  }

  public long rounds() {
    return rounds.get();
  }

  /** The time every round so far took together, in nanoseconds. */
  public long roundNanos() {
    return roundNanos.get();
  }

  public long copiedObjects() {
    return copiedObjects.get();
  }

  public long deletedObjects() {
    return deletedObjects.get();
  }
}
