package io.strata.fleet.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which shards a round plans: the incremental part of the reconciler. A shard whose last plan found
 * every object where its phase wants it, with nothing to run and nothing to rescan ({@link
 * ShardPlan#settled()}), is not planned again (nor scanned, nor its pools walked) until something
 * it was planned on changes: its scans (a scan recorded, a task that changed or read a pool), its
 * placement ({@link PlacementTable#update}), the policies of its dataset, or the age limit, after
 * which it is planned again anyway (its scans are repeated then, and objects may have aged into
 * their next phase). At a million shards, most of them settled, a round thus walks the few that
 * changed. Not thread-safe: the reconcile loop owns it.
 */
public final class PlanSchedule {
  private record Settled(String dataset, long scans, Instant at, Instant policyAt) {}

  private final Map<String, Settled> settled = new HashMap<>();

  /**
   * Shards whose last plan had voluntary movement to do or deletions waiting for scans, and shards
   * placed again since their last plan: what holds the balancer back ({@link Balancing#held}).
   */
  private final Set<String> moving = new HashSet<>();

  private final Duration maxAge;

  /**
   * @param maxAge how long a settled shard waits at most, by the real and by the policy clock
   */
  public PlanSchedule(Duration maxAge) {
    this.maxAge = maxAge;
  }

  /**
   * Whether the shard is to be planned this round.
   *
   * @param scans its scans' version ({@link PoolViews#version})
   */
  public boolean due(Shard shard, long scans, Instant now, Instant policyNow) {
    Settled s = settled.get(shard.id());
    return s == null
        || s.scans() != scans
        || !now.isBefore(s.at().plus(maxAge))
        || !policyNow.isBefore(s.policyAt().plus(maxAge));
  }

  /** Records a plan: a settled one lets the shard rest; any other keeps it due. */
  public void planned(Shard shard, ShardPlan plan, long scans, Instant now, Instant policyNow) {
    if (!plan.rescan().isEmpty()
        || plan.tasks().stream().anyMatch(t -> RoundQueue.isVoluntary(t.priority()))) {
      moving.add(shard.id());
    } else {
      moving.remove(shard.id());
    }
    if (plan.settled()) {
      settled.put(shard.id(), new Settled(shard.dataset(), scans, now, policyNow));
    } else {
      settled.remove(shard.id());
    }
  }

  /** These shards' placement changed: plan them again. */
  public void changed(Collection<String> shardIds) {
    shardIds.forEach(settled::remove);
    moving.addAll(shardIds);
  }

  /** The policies of a dataset changed: plan its shards again. */
  public void datasetChanged(String dataset) {
    settled.values().removeIf(s -> s.dataset().equals(dataset));
  }

  /** Forgets shards not in {@code shardIds} (split). */
  public void retain(Set<String> shardIds) {
    moving.retainAll(shardIds);
    if (settled.size() > shardIds.size() || !shardIds.containsAll(settled.keySet())) {
      settled.keySet().retainAll(shardIds);
    }
  }

  /** Every shard is due again; those still moving stay so until they are planned. */
  public void clear() {
    settled.clear();
  }

  /** Forgets everything: a replica that leads anew plans every shard from its own scans. */
  public void forget() {
    settled.clear();
    moving.clear();
  }

  /** Shards whose moves are not finished (see {@link #moving}). */
  public int moving() {
    return moving.size();
  }

  /** Shards resting now. */
  public int settledCount() {
    return settled.size();
  }
}
