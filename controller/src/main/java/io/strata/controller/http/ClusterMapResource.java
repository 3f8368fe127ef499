package io.strata.controller.http;

import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.fleet.view.PoolView;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.Tier;
import io.strata.topology.TopologyFile;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Collection;
import java.util.List;

/**
 * The cluster map: {@code /api/v1/cluster-map} and its parts. Read-only here; changes come with
 * operator actions. Pools show their credentials reference, never a secret.
 */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Path("/v1/cluster-map")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterMapResource {
  private final ClusterMapStore maps;
  private final AgentRegistry agents;

  public ClusterMapResource(ClusterMapStore maps, AgentRegistry agents) {
    this.maps = maps;
    this.agents = agents;
  }

  /**
   * 200: the whole map in topology-file form, with its epoch. {@code remaps=false} leaves out the
   * balancer's placement exceptions, which at a million shards are most of the map: the console
   * asks so on every refresh.
   */
  @GET
  public TopologyFile.Document map(@QueryParam("remaps") @DefaultValue("true") boolean remaps) {
    ClusterMap map = maps.current();
    return TopologyFile.document(remaps ? map : map.withRemaps(List.of()).atEpoch(map.epoch()));
  }

  /** 200: every domain, parents before children. */
  @GET
  @Path("/domains")
  public Collection<Domain> domains() {
    return maps.current().domains().values();
  }

  /** 200: every tier. */
  @GET
  @Path("/tiers")
  public Collection<Tier> tiers() {
    return maps.current().tiers().values();
  }

  /**
   * 200: the pools with their place, state and fill, in map order: every pool, or a page of those
   * that match the filters ({@link Page}; the total in {@value Page#TOTAL}). 422 when offset or
   * limit is not a whole number in range.
   *
   * @param q part of the pool's id
   * @param site, room, rack, tier, state exact matches (state as shown: up, draining, out, down)
   */
  @GET
  @Path("/pools")
  public Response pools(
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit,
      @QueryParam("q") String q,
      @QueryParam("site") String site,
      @QueryParam("room") String room,
      @QueryParam("rack") String rack,
      @QueryParam("tier") String tier,
      @QueryParam("state") String state) {
    return Page.of(offset, limit)
        .answer(
            FleetView.pools(maps.current(), agents),
            p ->
                Page.contains(q, p.id())
                    && Page.matches(site, p.site())
                    && Page.matches(room, p.room())
                    && Page.matches(rack, p.rack())
                    && Page.matches(tier, p.tier())
                    && Page.matches(state, p.state()));
  }

  /** 200: one pool; 404 when the map has no such pool. */
  @GET
  @Path("/pools/{id}")
  public PoolView pool(@PathParam("id") String id) {
    return FleetView.pools(maps.current(), agents).stream()
        .filter(p -> p.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("no pool '" + id + "' in the cluster map"));
  }
}
