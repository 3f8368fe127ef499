package io.strata.controller.http;

import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.TaskQueue;
import io.strata.fleet.reconcile.QueuedTask;
import io.strata.fleet.view.AgentView;
import io.strata.fleet.view.PoolView;
import io.strata.fleet.view.RackSummaries;
import io.strata.fleet.view.RackSummary;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet by rack, for the console's heatmap: {@code /api/v1/racks}. One small record per rack
 * (about 150 bytes; the fleet of 10,000 racks is one answer, compressed on the wire and answered
 * 304 while it does not change), and one rack in detail when someone points at it.
 */
@Path("/v1/racks")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class RackResource {
  /** Tasks a rack's detail lists at most; {@code taskCount} says how many there are. */
  static final int TASKS_SHOWN = 50;

  private final ClusterMapStore maps;
  private final AgentRegistry agents;
  private final Reconciler reconciler;
  private final TaskQueue queue;

  public RackResource(
      ClusterMapStore maps, AgentRegistry agents, Reconciler reconciler, TaskQueue queue) {
    this.maps = maps;
    this.agents = agents;
    this.reconciler = reconciler;
    this.queue = queue;
  }

  /**
   * The racks' summaries.
   *
   * @param epoch the cluster map's epoch they were summed on
   * @param usedBytes bytes used in the pools that reported, over the whole fleet
   * @param capacityBytes declared capacity of every pool of the fleet
   * @param racks every rack (of the site and room asked, when asked), in map order
   */
  public record Racks(long epoch, long usedBytes, long capacityBytes, List<RackSummary> racks) {}

  /** 200: every rack, or those of {@code site} and {@code room}. */
  @GET
  public Racks racks(@QueryParam("site") String site, @QueryParam("room") String room) {
    ClusterMap map = maps.current();
    List<AgentView> known = agents.list();
    List<PoolView> pools = FleetView.pools(map, known);
    List<RackSummary> all = RackSummaries.of(map, pools, known, tasks());
    if (site != null || room != null) {
      all =
          all.stream()
              .filter(r -> Page.matches(site, r.site()) && Page.matches(room, r.room()))
              .toList();
    }
    long used = 0;
    long capacity = 0;
    for (PoolView p : pools) {
      used += Math.max(0, p.usedBytes());
      capacity += p.capacityBytes();
    }
    return new Racks(map.epoch(), used, capacity, all);
  }

  private List<QueuedTask> tasks() {
    return reconciler.isLeading() ? queue.all() : List.of();
  }

  /** A node of a rack and the agents that report from it. */
  public record Node(String id, String state, List<AgentLine> agents) {}

  /** An agent as a rack's detail shows it. */
  public record AgentLine(String id, String state, java.time.Instant lastHeartbeat) {}

  /**
   * One rack in detail.
   *
   * @param rack its summary
   * @param pools its pools
   * @param nodes its nodes with their agents
   * @param tasks the first {@value #TASKS_SHOWN} tasks that read from or write to its pools
   * @param taskCount how many such tasks there are
   */
  public record Detail(
      RackSummary rack,
      List<PoolView> pools,
      List<Node> nodes,
      List<QueuedTask> tasks,
      int taskCount) {}

  /** 200: one rack with its pools, nodes, agents and tasks; 404 when the map has no such rack. */
  @GET
  @Path("/{id}")
  public Detail rack(@PathParam("id") String id) {
    ClusterMap map = maps.current();
    Domain rack =
        map.domain(id)
            .filter(d -> d.level() == DomainLevel.RACK)
            .orElseThrow(() -> new NotFoundException("no rack '" + id + "' in the cluster map"));
    List<AgentView> all = agents.list();
    List<PoolView> pools =
        FleetView.pools(map, all).stream().filter(p -> id.equals(p.rack())).toList();
    Set<String> poolIds = new java.util.HashSet<>();
    pools.forEach(p -> poolIds.add(p.id()));
    Map<String, String> rackOf = new HashMap<>();
    Map<String, List<AgentLine>> byNode = new HashMap<>();
    for (AgentView a : all) {
      if (a.node() != null && id.equals(RackSummaries.rackOfNode(map, a.node(), rackOf))) {
        byNode
            .computeIfAbsent(a.node(), n -> new ArrayList<>())
            .add(
                new AgentLine(
                    a.id(),
                    a.state().name().toLowerCase(java.util.Locale.ROOT),
                    a.lastHeartbeat()));
      }
    }
    List<Node> nodes = new ArrayList<>();
    for (Domain d : map.domains().values()) {
      if (d.level() == DomainLevel.NODE
          && id.equals(RackSummaries.rackOfNode(map, d.id(), rackOf))) {
        nodes.add(new Node(d.id(), d.state().label(), byNode.getOrDefault(d.id(), List.of())));
      }
    }
    List<QueuedTask> tasks = tasks();
    List<QueuedTask> ofRack =
        tasks.stream()
            .filter(
                q ->
                    poolIds.contains(q.task().sourcePool())
                        || poolIds.contains(q.task().targetPool()))
            .toList();
    RackSummary summary =
        RackSummaries.of(map, pools, all, ofRack).stream()
            .filter(r -> r.id().equals(rack.id()))
            .findFirst()
            .orElseThrow();
    return new Detail(
        summary,
        pools,
        nodes,
        ofRack.subList(0, Math.min(TASKS_SHOWN, ofRack.size())),
        ofRack.size());
  }

  /**
   * Where an id is: the rack that a rack, node, pool or agent id leads to.
   *
   * @param id the id searched for
   * @param kind what it named: {@code rack}, {@code node}, {@code pool} or {@code agent}
   * @param rack the rack it lies in
   */
  public record Found(String id, String kind, String rack) {}

  /**
   * 200: the rack of a rack, node, pool or agent id (exact); 404 naming the id when it is none of
   * these; 422 when no id is given.
   */
  @GET
  @Path("/search")
  public Found search(@QueryParam("id") String id) {
    if (id == null || id.isBlank()) {
      throw ErrorMessage.failure(
          422, "query parameter id is required: a rack, node, pool or agent");
    }
    String q = id.trim();
    ClusterMap map = maps.current();
    Map<String, String> rackOf = new HashMap<>();
    var domain = map.domain(q);
    if (domain.isPresent() && domain.get().level() == DomainLevel.RACK) {
      return new Found(q, "rack", q);
    }
    if (domain.isPresent() && domain.get().level() == DomainLevel.NODE) {
      String rack = RackSummaries.rackOfNode(map, q, rackOf);
      if (rack != null) {
        return new Found(q, "node", rack);
      }
    }
    var pool = map.pool(q);
    if (pool.isPresent()) {
      String rack = RackSummaries.rackOfNode(map, pool.get().domain(), rackOf);
      if (rack != null) {
        return new Found(q, "pool", rack);
      }
    }
    var agent = agents.get(q);
    if (agent.isPresent() && agent.get().node() != null) {
      String rack = RackSummaries.rackOfNode(map, agent.get().node(), rackOf);
      if (rack != null) {
        return new Found(q, "agent", rack);
      }
    }
    throw new NotFoundException("no rack, node, pool or agent '" + q + "' in a rack of the fleet");
  }
}
