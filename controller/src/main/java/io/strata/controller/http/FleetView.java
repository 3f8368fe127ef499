package io.strata.controller.http;

import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.fleet.view.AgentState;
import io.strata.fleet.view.AgentView;
import io.strata.fleet.view.PoolView;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.ObjectLock;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Joins the cluster map with what agents report, for the API, the console and metrics. */
public final class FleetView {
  private FleetView() {}

  /** Every pool with its place and fill, in map order. */
  public static List<PoolView> pools(ClusterMap map, AgentRegistry agents) {
    return pools(map, agents.list());
  }

  /** Every pool with its place and fill as {@code agents} (every known agent) report them. */
  public static List<PoolView> pools(ClusterMap map, List<AgentView> agents) {
    Map<String, PoolReport> latest = new HashMap<>();
    Map<String, String> encryptionUnmet = new HashMap<>();
    for (AgentView agent : agents) {
      if (agent.state() != AgentState.UP) {
        continue;
      }
      for (PoolReport report : agent.pools()) {
        latest.merge(report.pool(), report, (a, b) -> a.reachable() ? a : b);
        if (report.encryptionUnmet() != null) {
          // Any up agent's word is enough: a pool that left one copy unencrypted does not meet it.
          encryptionUnmet.putIfAbsent(report.pool(), report.encryptionUnmet());
        }
      }
    }
    List<PoolView> out = new ArrayList<>();
    for (Pool p : map.pools().values()) {
      PoolReport r = latest.get(p.id());
      long used = r == null || !r.reachable() ? -1 : r.usedBytes();
      long objects = r == null || !r.reachable() ? -1 : r.objects();
      double fill = used < 0 || p.capacityBytes() <= 0 ? -1 : used / (double) p.capacityBytes();
      out.add(
          new PoolView(
              p.id(),
              p.tier(),
              name(map, p, DomainLevel.SITE),
              name(map, p, DomainLevel.ROOM),
              name(map, p, DomainLevel.RACK),
              p.domain(),
              p.endpoint(),
              map.effectiveState(p).label(),
              p.capacityBytes(),
              used,
              objects,
              fill,
              r == null ? null : r.reachable(),
              encryptionUnmet.get(p.id()),
              p.objectLock() == ObjectLock.NONE ? null : p.objectLock().label()));
    }
    return out;
  }

  private static String name(ClusterMap map, Pool p, DomainLevel level) {
    return map.ancestor(p, level).map(Domain::id).orElse(null);
  }
}
