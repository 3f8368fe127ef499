package io.strata.fleet.reconcile;

import java.util.List;
import java.util.Map;

/**
 * The plan for one shard.
 *
 * @param tasks what to run, highest priority first
 * @param objects how many of the shard's objects are in each copy state
 * @param rescan pools whose scan of the shard is from an older cluster-map epoch while a copy would
 *     otherwise have been deleted: deletions wait for scans at the current epoch
 */
public record ShardPlan(
    List<PlannedTask> tasks, Map<CopyState, Integer> objects, List<String> rescan) {
  public ShardPlan {
    tasks = List.copyOf(tasks);
    objects = Map.copyOf(objects);
    rescan = List.copyOf(rescan);
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
