package io.strata.controller.kubernetes;

import io.strata.controller.http.OperatorResource;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The operator API's side of disruption safety: a drain of a pool or domain is refused while a
 * failure domain (at {@code disruptionLevel}) holding copies of the same shards is disrupted
 * already, as the agents' disruption budgets refuse Kubernetes' own evictions. Drains of domains
 * above that level (a room of racks) are checked rack by rack against the others.
 *
 * <p>Checked before the change, not inside its compare-and-set: two drains sent within the same
 * instant can both pass, as two evictions can between two syncs of the budgets.
 */
public final class DrainCheck implements OperatorResource.DrainCheck {
  private final DomainLevel level;
  private final Supplier<Map<String, NodeFacts>> nodes;
  private final AgentBudgets.SharedCopies shared;

  /**
   * @param nodes the storage nodes as last read ({@link NodeWatch#nodes})
   * @param shared which domains share shards; the reconciler's placements, on the leader
   */
  public DrainCheck(
      DomainLevel level, Supplier<Map<String, NodeFacts>> nodes, AgentBudgets.SharedCopies shared) {
    this.level = level;
    this.nodes = nodes;
    this.shared = shared;
  }

  @Override
  public List<String> conflicts(ClusterMap map, String id) throws Exception {
    Set<String> targets = targets(map, id);
    Set<String> disrupted = new TreeSet<>(DisruptionPlan.disrupted(map, level, nodes.get()));
    disrupted.removeAll(targets);
    if (targets.isEmpty() || disrupted.isEmpty()) {
      return List.of();
    }
    Map<String, Set<String>> sharing;
    try {
      sharing = shared.of(targets, level);
    } catch (Exception e) {
      return List.of(
          level.label()
              + " "
              + disrupted
              + " draining or down, and this replica cannot tell which "
              + level.label()
              + "s share shards with "
              + targets
              + " ("
              + e.getMessage()
              + "); send the drain to the leader");
    }
    List<String> out = new ArrayList<>();
    for (String target : targets) {
      for (String other : sharing.getOrDefault(target, Set.of())) {
        if (disrupted.contains(other)) {
          out.add(
              level.label()
                  + " '"
                  + target
                  + "' holds copies of the same shards as "
                  + level.label()
                  + " '"
                  + other
                  + "', which is draining or down");
        }
      }
    }
    return out;
  }

  /** The domains at the level that draining {@code id} disrupts; empty for an unknown id. */
  private Set<String> targets(ClusterMap map, String id) {
    Set<String> out = new TreeSet<>();
    Pool pool = map.pools().get(id);
    if (pool != null) {
      map.ancestor(pool, level).map(Domain::id).ifPresent(out::add);
      return out;
    }
    Domain domain = map.domains().get(id);
    if (domain == null) {
      return out;
    }
    if (domain.level().isBelow(level) || domain.level() == level) {
      DisruptionPlan.enclosing(map, id, level).ifPresent(out::add);
      return out;
    }
    for (Pool p : map.poolsUnder(id)) {
      map.ancestor(p, level).map(Domain::id).ifPresent(out::add);
    }
    return out;
  }
}
