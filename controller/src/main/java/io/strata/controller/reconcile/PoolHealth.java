package io.strata.controller.reconcile;

import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.TaskQueue;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.PoolAvailability;
import io.strata.fleet.reconcile.PoolViews;
import io.strata.fleet.view.AgentState;
import io.strata.fleet.view.AgentView;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's judgement of the pools' health, for the reconcile round: which pools can be used
 * now, from the agents' heartbeats and the grace period, and the states in the cluster map that
 * follow from it. Used by the round's thread; it remembers across rounds when some agent last
 * reported serving each pool.
 */
final class PoolHealth {
  private static final Logger LOG = LoggerFactory.getLogger(PoolHealth.class);

  private final AgentRegistry agents;
  private final ClusterMapStore maps;
  private final PoolViews views;
  private final TaskQueue queue;
  private final List<Dataset> datasets;
  private final Duration grace;
  private final NodeConditions nodes;
  // When some agent last reported serving each pool; only those pools can be declared lost. Kept
  // here, not read from the agents' records alone: an agent that shuts down (an upgrade, a
  // restart) sends a last heartbeat naming no pool, and its pool gets the grace period from
  // its heartbeat before that one, not none.
  private final Map<String, Instant> lastServed = new ConcurrentHashMap<>();
  // The pools lost because the platform reports their node down, as of the last availability.
  private final Set<String> nodeDown = ConcurrentHashMap.newKeySet();

  /**
   * @param grace how long a pool without an up agent keeps counting its copies
   * @param nodes the nodes the platform reports down: their pools are lost whatever their agents
   *     say, and without waiting for lease and grace
   */
  PoolHealth(
      AgentRegistry agents,
      ClusterMapStore maps,
      PoolViews views,
      TaskQueue queue,
      List<Dataset> datasets,
      Duration grace,
      NodeConditions nodes) {
    this.agents = agents;
    this.nodes = nodes;
    this.maps = maps;
    this.views = views;
    this.queue = queue;
    this.datasets = List.copyOf(datasets);
    this.grace = grace;
  }

  /**
   * Step: which pools can be used now, from the agents' heartbeats and the grace period.
   *
   * @param leadingSince when this replica became the leader
   */
  Map<String, PoolAvailability> availability(ClusterMap map, Instant now, Instant leadingSince) {
    Map<String, PoolAvailability> out = new HashMap<>();
    for (AgentView agent : agents.list()) {
      for (PoolReport report : agent.pools()) {
        if (agent.state() == AgentState.UP && report.reachable()) {
          out.put(report.pool(), PoolAvailability.AVAILABLE);
        }
        lastServed.merge(report.pool(), agent.lastHeartbeat(), PoolHealth::later);
      }
      if (agent.pools().isEmpty() && agent.node() != null) {
        // It shut down, or has yet to report: the pools of its node were its, as far as this
        // replica can tell (one that became the leader since never saw it report them).
        for (Pool pool : map.pools().values()) {
          if (agent.node().equals(pool.domain())) {
            lastServed.merge(pool.id(), agent.lastHeartbeat(), PoolHealth::later);
          }
        }
      }
    }
    Set<String> down = nodes.nodesDown(now);
    for (Pool pool : map.pools().values()) {
      if (!down.isEmpty() && onNodeDown(map, pool, down)) {
        // The platform knows the node is down: as a lease run out and its grace over, sooner.
        out.put(pool.id(), PoolAvailability.LOST);
        nodeDown.add(pool.id());
        continue;
      }
      nodeDown.remove(pool.id());
      if (out.containsKey(pool.id())) {
        continue;
      }
      Instant seen = lastServed.get(pool.id());
      // A pool is lost only after its agents were silent for lease and grace while this replica
      // led: after a restart of the whole system, agents get that long to report again.
      Instant since = seen == null ? null : seen.isAfter(leadingSince) ? seen : leadingSince;
      boolean inGrace = since != null && since.plus(agents.lease()).plus(grace).isAfter(now);
      out.put(pool.id(), inGrace ? PoolAvailability.IN_GRACE : PoolAvailability.LOST);
    }
    return out;
  }

  /**
   * Step: a pool lost past its grace period is marked {@code down} in the map, so that placement
   * chooses other pools and its copies are re-replicated; a down pool whose agent is back is {@code
   * up} again. A draining pool found empty in every shard is {@code out}.
   *
   * @return the map with those changes
   */
  ClusterMap applyTo(ClusterMap map, Map<String, PoolAvailability> availability) throws Exception {
    Map<String, DomainState> changes = new LinkedHashMap<>();
    for (Pool pool : map.pools().values()) {
      PoolAvailability a = availability.get(pool.id());
      if (a == PoolAvailability.LOST
          && (lastServed.containsKey(pool.id()) || nodeDown.contains(pool.id()))
          && pool.state() == DomainState.UP) {
        changes.put(pool.id(), DomainState.DOWN);
      } else if (a == PoolAvailability.AVAILABLE && pool.state() == DomainState.DOWN) {
        changes.put(pool.id(), DomainState.UP);
      } else if (a == PoolAvailability.AVAILABLE
          && pool.state() == DomainState.DRAINING
          && isEmptyEverywhere(pool.id())) {
        changes.put(pool.id(), DomainState.OUT);
      }
    }
    if (changes.isEmpty()) {
      return map;
    }
    changes.forEach((pool, state) -> LOG.info("pool {} is now {}", pool, state.label()));
    return maps.update(
        current -> {
          ClusterMap next = current;
          for (var e : changes.entrySet()) {
            Pool p = next.pool(e.getKey()).orElse(null);
            if (p != null) {
              next = next.withPool(p.withState(e.getValue()));
            }
          }
          return next;
        });
  }

  /** Whether the pool lives on one of the {@code down} nodes. */
  private static boolean onNodeDown(ClusterMap map, Pool pool, Set<String> down) {
    return map.ancestor(pool, DomainLevel.NODE).map(d -> down.contains(d.id())).orElse(false);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private boolean isEmptyEverywhere(String pool) throws Exception {
    for (Dataset dataset : datasets) {
      if (!views.emptyIn(pool, dataset.name())) {
        return false;
      }
    }
    return queue.countFor(pool) == 0;
  }
}
