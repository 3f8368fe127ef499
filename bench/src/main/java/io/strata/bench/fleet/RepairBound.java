package io.strata.bench.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The physical limit of a repair or a move, in fleet seconds: the time its bytes need at the
 * bandwidth the links and the controller's budgets allow, on the same link model the copies ran on.
 * Each link's capacity is the lesser of its bandwidth and the budget the controller charges it
 * (racks: {@code reconcile.rackBytesPerSecond}; rooms: {@code roomBytesPerSecond}). The bound is
 * the larger of
 *
 * <ul>
 *   <li>the aggregate: every byte crosses two racks (its source's and its target's), so twice the
 *       bytes over the sum of the capacities of the racks that can take part; and
 *   <li>the busiest link: the bytes the run's copies put through one pool, rack or room link over
 *       its capacity (where the policy sends copies is not the simulator's choice).
 * </ul>
 */
final class RepairBound {
  private RepairBound() {}

  /**
   * @param bytes the bytes that must move (copies lost, or held by pools drained)
   * @param racks the racks that can take part (reachable, not drained)
   * @param transfers the copies the run made
   */
  static double seconds(
      FleetOptions o,
      long bytes,
      Collection<FleetLayout.PoolSite> racks,
      List<SimTasks.Transfer> transfers,
      Map<String, FleetLayout.PoolSite> sites) {
    double rackCapacity = rackCapacity(o);
    double aggregate =
        racks.isEmpty() ? Double.POSITIVE_INFINITY : 2.0 * bytes / (racks.size() * rackCapacity);
    Map<String, Double> load = new HashMap<>();
    Map<String, Double> capacity = new HashMap<>();
    LinkModel model = new LinkModel(o);
    for (SimTasks.Transfer t : transfers) {
      for (LinkModel.Link link : model.path(sites.get(t.source()), sites.get(t.target()))) {
        load.merge(link.id(), (double) t.bytes(), Double::sum);
        capacity.put(link.id(), capacityOf(o, link));
      }
    }
    double busiest = 0;
    for (var e : load.entrySet()) {
      busiest = Math.max(busiest, e.getValue() / capacity.get(e.getKey()));
    }
    return Math.max(aggregate, busiest);
  }

  /**
   * The racks that can take part in the change's copies: all but those it affects when it loses
   * their copies (a lost rack sends nothing); a drained rack still sends, an added one receives.
   */
  static List<FleetLayout.PoolSite> takingPart(
      Collection<FleetLayout.PoolSite> sites, Set<String> affectedPools, boolean losesCopies) {
    List<FleetLayout.PoolSite> racks = new ArrayList<>();
    for (FleetLayout.PoolSite s : sites) {
      if (!losesCopies || !affectedPools.contains(s.pool())) {
        racks.add(s);
      }
    }
    return racks;
  }

  static double rackCapacity(FleetOptions o) {
    return Math.min(o.poolBytesPerSecond(), Math.min(o.rackBytesPerSecond(), o.rackBudget()));
  }

  private static double capacityOf(FleetOptions o, LinkModel.Link link) {
    if (link.id().startsWith("rack:")) {
      return Math.min(link.bytesPerSecond(), o.rackBudget());
    }
    if (link.id().startsWith("room:")) {
      return Math.min(link.bytesPerSecond(), o.roomBudget());
    }
    return link.bytesPerSecond();
  }
}
