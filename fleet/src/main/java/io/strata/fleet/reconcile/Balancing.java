package io.strata.fleet.reconcile;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.placement.Balancer;
import io.strata.topology.placement.PlacementRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The live balancer's step: when it may run, and its plan over the placement table. It evens out
 * what the pools of each tier hold, weighted by what each shard's copies hold, with a table of
 * placement exceptions ({@link Balancer}, like Ceph's upmap balancer) that the leader stores in the
 * cluster map; the copies then move as rebalancing, voluntary movement under the misplaced cap, the
 * old copies deleted only once the new ones are verified. Pure.
 */
public final class Balancing {
  private Balancing() {}

  /**
   * Why the balancer must not move anything now, if it must not: movement paused (all, or the
   * balancer), a pool draining, data at risk or repairs queued, voluntary movement still queued
   * (the last moves must finish first, so there is never more than the misplaced cap in flight),
   * shards whose last moves are not finished although nothing of them is queued (their old copies
   * wait for scans at the current epoch before they are deleted: a new exception now would start a
   * new epoch and hold those deletions again, so that the old copies would never go), or shards
   * whose placement the leader does not know yet.
   *
   * @param shardsMoving shards whose last plan had voluntary movement to do or deletions waiting
   *     for scans, and shards placed again since their last plan
   */
  public static Optional<String> held(
      ClusterMap map,
      boolean paused,
      long objectsMissingCopies,
      RoundQueue round,
      int shardsMoving,
      int shards,
      int shardsKnown) {
    if (paused) {
      return Optional.of("paused");
    }
    for (Pool pool : map.pools().values()) {
      if (map.effectiveState(pool) == DomainState.DRAINING) {
        return Optional.of("pool " + pool.id() + " is draining");
      }
    }
    if (objectsMissingCopies > 0 || round.repairsQueued() > 0) {
      return Optional.of("copies are missing");
    }
    if (round.voluntaryBytes() > 0) {
      return Optional.of("voluntary movement is under way");
    }
    if (shardsMoving > 0) {
      return Optional.of(shardsMoving + " shards have not finished moving their copies");
    }
    if (shardsKnown < shards) {
      return Optional.of("not every shard is planned yet");
    }
    return Optional.empty();
  }

  /** The weight of a shard's copies under one rule, given the pools of that rule. */
  @FunctionalInterface
  public interface Weight {
    double of(Shard shard, List<String> pools);
  }

  /**
   * Plans one round over every placement the table holds.
   *
   * @param target the largest fill allowed per tier (max over mean), e.g. 1.05
   * @param maxChanges the most copies it may move; 0 to measure the fill only
   */
  public static Balancer.Plan plan(
      PlacementTable table, Weight weight, double target, int maxChanges) {
    List<String> keys = new ArrayList<>();
    List<PlacementRule> rules = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    table.forEach(
        (shard, rule, pools) -> {
          if (pools.isEmpty()) {
            return;
          }
          keys.add(shard.placementKey());
          rules.add(rule);
          weights.add(Math.max(0, weight.of(shard, pools)));
        });
    double[] w = new double[weights.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(i);
    }
    return Balancer.plan(table.index(), keys, rules, w, target, maxChanges);
  }
}
