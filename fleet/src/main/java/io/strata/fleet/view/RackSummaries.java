package io.strata.fleet.view;

import io.strata.fleet.reconcile.QueuedTask;
import io.strata.fleet.reconcile.TaskPriority;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sums pools, agents and tasks up per rack for the heatmap. Pure: one pass over each input, so the
 * whole fleet (10,000 racks, 40,000 pools, 50,000 agents) sums in milliseconds.
 */
public final class RackSummaries {
  private RackSummaries() {}

  /**
   * Every rack of {@code map}, in map order.
   *
   * @param pools the pools as {@code FleetView} shows them (state and fill)
   * @param agents every known agent; those on nodes outside any rack are left out
   * @param tasks the leader's queue (empty on a follower)
   */
  public static List<RackSummary> of(
      ClusterMap map, List<PoolView> pools, List<AgentView> agents, List<QueuedTask> tasks) {
    Map<String, Counts> racks = new LinkedHashMap<>();
    for (Domain d : map.domains().values()) {
      if (d.level() == DomainLevel.RACK) {
        racks.put(d.id(), new Counts());
      }
    }
    Map<String, String> rackOfPool = new HashMap<>();
    for (PoolView p : pools) {
      Counts c = p.rack() == null ? null : racks.get(p.rack());
      if (c == null) {
        continue;
      }
      rackOfPool.put(p.id(), p.rack());
      switch (p.state()) {
        case "draining", "out" -> c.draining++;
        case "down" -> c.down++;
        default -> {
          if (Boolean.FALSE.equals(p.reachable())) {
            c.down++;
          } else {
            c.up++;
          }
        }
      }
      if (p.usedBytes() >= 0 && p.capacityBytes() > 0) {
        c.used += p.usedBytes();
        c.capacity += p.capacityBytes();
      }
    }
    Map<String, String> rackOfNode = new HashMap<>();
    for (AgentView a : agents) {
      Counts c = a.node() == null ? null : racks.get(rackOfNode(map, a.node(), rackOfNode));
      if (c != null) {
        if (a.state() == AgentState.UP) {
          c.agentsUp++;
        } else {
          c.agentsDown++;
        }
      }
    }
    for (QueuedTask q : tasks) {
      String source = q.task().sourcePool() == null ? null : rackOfPool.get(q.task().sourcePool());
      String target = q.task().targetPool() == null ? null : rackOfPool.get(q.task().targetPool());
      if (source != null) {
        racks.get(source).tasks++;
        if (q.priority() == TaskPriority.DATA_AT_RISK) {
          racks.get(source).atRisk++;
        }
      }
      if (target != null && !target.equals(source)) {
        racks.get(target).tasks++;
      }
    }
    List<RackSummary> out = new ArrayList<>(racks.size());
    racks.forEach(
        (id, c) ->
            out.add(
                new RackSummary(
                    id,
                    ancestor(map, id, DomainLevel.SITE),
                    ancestor(map, id, DomainLevel.ROOM),
                    ancestor(map, id, DomainLevel.ROW),
                    c.capacity == 0 ? -1 : Math.round(1000.0 * c.used / c.capacity) / 1000.0,
                    c.up,
                    c.draining,
                    c.down,
                    c.agentsUp,
                    c.agentsDown,
                    c.atRisk,
                    c.tasks)));
    return out;
  }

  /** The rack a domain (a node, usually) lies in, or null; memoized in {@code known}. */
  public static String rackOfNode(ClusterMap map, String domainId, Map<String, String> known) {
    return known.computeIfAbsent(
        domainId,
        id -> {
          Optional<Domain> d = map.domain(id);
          while (d.isPresent() && d.get().level().isBelow(DomainLevel.RACK)) {
            d = d.get().parent() == null ? Optional.empty() : map.domain(d.get().parent());
          }
          return d.filter(x -> x.level() == DomainLevel.RACK).map(Domain::id).orElse(null);
        });
  }

  /** The id of the domain at {@code level} above domain {@code id}, or null. */
  static String ancestor(ClusterMap map, String id, DomainLevel level) {
    Optional<Domain> d = map.domain(id);
    while (d.isPresent() && d.get().level() != level) {
      d = d.get().parent() == null ? Optional.empty() : map.domain(d.get().parent());
    }
    return d.map(Domain::id).orElse(null);
  }

  private static final class Counts {
    int up;
    int draining;
    int down;
    int agentsUp;
    int agentsDown;
    int atRisk;
    int tasks;
    long used;
    long capacity;
  }
}
