package io.strata.fleet.reconcile;

import io.strata.fleet.expiry.Due;
import io.strata.fleet.expiry.ExpiryProgress;
import io.strata.fleet.recall.RecallProgress;
import io.strata.topology.placement.PlacementRule;
import java.util.List;
import java.util.Map;

/**
 * The plan for one shard.
 *
 * @param tasks what to run, highest priority first
 * @param objects how many of the shard's objects are in each copy state
 * @param rescan pools whose scan of the shard is from an older cluster-map epoch while a copy would
 *     otherwise have been deleted: deletions wait for scans at the current epoch
 * @param placements the desired pools under each rule its objects follow, for {@link
 *     PlacementTable#record}
 * @param recalls per recall id, the shard's objects it names and how many of them are hot
 * @param expiries per approved expiry id, the shard's objects it covers that are still present
 * @param due the shard's objects past their policy's expiry that no approved expiry covers, per
 *     dataset and policy (objects and bytes only)
 * @param landedSince when the oldest of the shard's fresh uploads not yet placed landed (its
 *     landing copy's LastModified); null when every upload is placed
 * @param stock the logical bytes of its objects by policy and age, for the capacity history; null
 *     where not counted
 */
public record ShardPlan(
    List<PlannedTask> tasks,
    Map<CopyState, Integer> objects,
    List<String> rescan,
    Map<PlacementRule, List<String>> placements,
    Map<String, RecallProgress> recalls,
    Map<String, ExpiryProgress> expiries,
    Map<Due, ExpiryProgress> due,
    java.time.Instant landedSince,
    ShardStock stock) {
  public ShardPlan {
    tasks = List.copyOf(tasks);
    objects = Map.copyOf(objects);
    rescan = List.copyOf(rescan);
    placements = Map.copyOf(placements);
    recalls = Map.copyOf(recalls);
    expiries = Map.copyOf(expiries);
    due = Map.copyOf(due);
  }

  /** A plan of a shard that no expiry concerns. */
  public ShardPlan(
      List<PlannedTask> tasks,
      Map<CopyState, Integer> objects,
      List<String> rescan,
      Map<PlacementRule, List<String>> placements,
      Map<String, RecallProgress> recalls) {
    this(tasks, objects, rescan, placements, recalls, Map.of(), Map.of(), null, null);
  }

  /** A plan of a shard that no recall names. */
  public ShardPlan(
      List<PlannedTask> tasks,
      Map<CopyState, Integer> objects,
      List<String> rescan,
      Map<PlacementRule, List<String>> placements) {
    this(tasks, objects, rescan, placements, Map.of(), Map.of(), Map.of(), null, null);
  }

  /**
   * Whether nothing is left to do: every object where its phase wants it, no task, no scan to
   * repeat. Such a shard is planned again only when its scans, placement or policy change.
   */
  public boolean settled() {
    return tasks.isEmpty() && rescan.isEmpty() && worst() == CopyState.OK;
  }

  /** The worst state of any object; {@code OK} for an empty shard. */
  public CopyState worst() {
    CopyState worst = CopyState.OK;
    for (CopyState s : objects.keySet()) {
      worst = s.ordinal() > worst.ordinal() ? s : worst;
    }
    return worst;
  }
}
