package io.strata.controller.reconcile;

import io.strata.fleet.reconcile.Shard;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether every shard of a dataset has been planned with an approved expiry, told by round numbers
 * rather than by a set of shard ids per expiry: each approved expiry keeps the round this leader
 * first planned with it in force, each shard the round of its last plan. Every shard planned in a
 * round is planned with each expiry of that round's context, and an expiry stays in force from the
 * round it is first seen in until it is done, so a shard whose last plan is of that round or later
 * was planned with it. One entry per shard, shared by every expiry, and one per expiry: at a
 * million shards a million entries, however many expiries run, where a set per expiry held a
 * million each. Round numbers only grow in a process, and a replica that leads anew forgets both
 * ({@link #forget}), so a plan of an earlier term never counts. Not thread-safe: the reconcile loop
 * owns it.
 */
final class ExpiryRounds {
  /** Per approved expiry id, the first round this leader planned with it in force. */
  private final Map<String, Long> inForceSince = new HashMap<>();

  /** Per shard id, the round of its last plan. */
  private final Map<String, Long> lastPlanned = new HashMap<>();

  /** The current round, boxed once so that the shards planned in it share one value. */
  private Long round = -1L;

  /**
   * A round starts with these approved expiries in its context: those new to this leader are in
   * force from it on, those no longer approved are forgotten.
   */
  void roundStarts(long round, Collection<String> approved) {
    this.round = round;
    inForceSince.keySet().retainAll(Set.copyOf(approved));
    for (String id : approved) {
      inForceSince.putIfAbsent(id, this.round);
    }
  }

  /** The shard was planned in the current round, with every expiry of its context. */
  void planned(String shardId) {
    lastPlanned.put(shardId, round);
  }

  /**
   * The round of the oldest last plan among the shards, {@link Long#MAX_VALUE} for none; -1 when
   * one was not planned by this leader yet.
   */
  long oldestPlan(Collection<Shard> shards) {
    long oldest = Long.MAX_VALUE;
    for (Shard shard : shards) {
      oldest = Math.min(oldest, lastPlanned.getOrDefault(shard.id(), -1L));
    }
    return oldest;
  }

  /**
   * Whether every shard of the expiry's dataset, whose oldest last plan is {@code oldestPlan}
   * ({@link #oldestPlan}), was planned with it.
   */
  boolean plannedWithAll(String expiryId, long oldestPlan) {
    Long since = inForceSince.get(expiryId);
    return since != null && oldestPlan >= since;
  }

  /** Forgets the shards not in {@code shardIds} (split). */
  void retain(Set<String> shardIds) {
    if (lastPlanned.size() > shardIds.size() || !shardIds.containsAll(lastPlanned.keySet())) {
      lastPlanned.keySet().retainAll(shardIds);
    }
  }

  /** The expiry is done. */
  void done(String expiryId) {
    inForceSince.remove(expiryId);
  }

  /** Forgets everything: a replica that leads anew plans every shard with every expiry again. */
  void forget() {
    inForceSince.clear();
    lastPlanned.clear();
  }
}
