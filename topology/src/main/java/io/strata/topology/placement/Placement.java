package io.strata.topology.placement;

import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import java.util.List;

/**
 * Where a shard's copies go: {@code place(shard, rule, map) -> ordered pools}. Pure and
 * deterministic: every process with the same map computes the same answer.
 *
 * <p>This is the convenient entry point; it keeps the {@link PlacementIndex} of the last map it saw
 * (by identity), so a caller that switches maps often, or places many shards, should build the
 * index once per epoch and use a {@link Placer} per thread instead. Thread-safe.
 */
public final class Placement {
  private static volatile PlacementIndex last;
  private static final ThreadLocal<Placer> PLACER = new ThreadLocal<>();

  private Placement() {}

  /**
   * The pools that should hold the shard's copies, first the primary: for each tier of the rule,
   * that many up pools of the tier, every copy in a distinct domain of the rule's spread level.
   * Draining, out and down pools never appear; the caller keeps existing copies on them until the
   * new ones are verified. Shorter than the rule asks only when the map cannot satisfy it.
   */
  public static List<Pool> place(String shardId, PlacementRule rule, ClusterMap map) {
    return placer(map).place(shardId, rule);
  }

  /** A placer for this thread over {@code map}'s index, reusing the last index built for it. */
  public static Placer placer(ClusterMap map) {
    PlacementIndex index = last;
    if (index == null || index.map() != map) {
      index = PlacementIndex.of(map);
      last = index;
    }
    Placer placer = PLACER.get();
    if (placer == null || placer.index() != index) {
      placer = index.placer();
      PLACER.set(placer);
    }
    return placer;
  }
}
