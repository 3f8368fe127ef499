package io.strata.controller.http;

import io.strata.controller.reconcile.Dispatcher;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.relay.HeartbeatRelay;
import io.strata.controller.relay.WorkSignals;
import io.strata.controller.security.Roles;
import io.strata.controller.security.StrataPrincipal;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.Leadership;
import io.strata.fleet.view.AgentView;
import io.strata.fleet.view.RackSummaries;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.heartbeat.WorkAnswer;
import io.strata.topology.ClusterMap;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Agents: {@code /api/v1/agents}. Agents post heartbeats; operators read. */
@Path("/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {
  private final AgentRegistry agents;
  private final ClusterMapStore maps;
  private final Reconciler reconciler;
  private final Leadership leadership;
  private final HeartbeatRelay relay;
  private final WorkSignals signals;

  /**
   * @param relay how a follower hands its agents' heartbeats to the leader; null to point agents to
   *     the leader instead
   * @param signals where idle agents wait for work
   */
  public AgentResource(
      AgentRegistry agents,
      ClusterMapStore maps,
      Reconciler reconciler,
      Leadership leadership,
      HeartbeatRelay relay,
      WorkSignals signals) {
    this.agents = agents;
    this.maps = maps;
    this.reconciler = reconciler;
    this.leadership = leadership;
    this.relay = relay;
    this.signals = signals;
  }

  /**
   * 200: the known agents with their state, by id: every agent, or a page of those that match the
   * filters ({@link Page}; the total in {@value Page#TOTAL}). 422 when offset or limit is not a
   * whole number in range.
   *
   * @param q part of the agent's id
   * @param state up or down
   * @param rack the rack of the agent's node
   */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public Response list(
      @QueryParam("offset") String offset,
      @QueryParam("limit") String limit,
      @QueryParam("q") String q,
      @QueryParam("state") String state,
      @QueryParam("rack") String rack) {
    Page page = Page.of(offset, limit);
    ClusterMap map = maps.current();
    Map<String, String> rackOf = new HashMap<>();
    return page.answer(
        agents.list(),
        a ->
            Page.contains(q, a.id())
                && Page.matches(state, a.state().name())
                && (rack == null
                    || rack.isEmpty()
                    || a.node() != null
                        && rack.equals(RackSummaries.rackOfNode(map, a.node(), rackOf))));
  }

  /** 200: one agent; 404 when unknown. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  @Path("/{id}")
  public AgentView get(@PathParam("id") String id) {
    return agents.get(id).orElseThrow(() -> new NotFoundException("no agent '" + id + "'"));
  }

  /**
   * Forgets an agent that is down for good (its node retired), so that it no longer shows, nor
   * alerts, as down. 200 {@code {"agent", "forgotten": true}}; 404 unknown; 409 while it is up.
   */
  @DELETE
  @RolesAllowed(Roles.OPERATOR)
  @Path("/{id}")
  public Map<String, Object> forget(@PathParam("id") String id) throws Exception {
    return switch (agents.forget(id)) {
      case FORGOTTEN -> Map.of("agent", id, "forgotten", true);
      case UNKNOWN -> throw new NotFoundException("no agent '" + id + "'");
      case UP ->
          throw ErrorMessage.failure(
              409,
              "agent '"
                  + id
                  + "' is up: stop it, then forget it once it shows down (an agent forgotten that"
                  + " beats again registers anew)");
    };
  }

  /**
   * A heartbeat; the first registers the agent.
   *
   * <p>On a follower that relays ({@link HeartbeatRelay}), the leader's answer for its task side
   * comes back in this answer, and the agent stays on this replica; without a relay, the answer
   * points the agent to the leader.
   *
   * <p>200 with the lease and map epoch; 403 when the caller's agent token belongs to another
   * agent; 422 when the body's agent id is not the path's, or the body is incomplete; 503 when
   * ZooKeeper cannot be written (the agent retries).
   */
  @POST
  @Path("/{id}/heartbeat")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.AGENT)
  public HeartbeatResponse heartbeat(
      @PathParam("id") String id,
      @NotNull @Valid Heartbeat beat,
      @Context SecurityContext security) {
    if (!(security.getUserPrincipal() instanceof StrataPrincipal p) || !id.equals(p.agentId())) {
      throw ErrorMessage.failure(403, "an agent token may post heartbeats only for its own agent");
    }
    if (!id.equals(beat.agentId())) {
      throw ErrorMessage.failure(
          422,
          "agentId '" + beat.agentId() + "' in the body does not match '" + id + "' in the path");
    }
    if (beat.inventory() == null) {
      throw ErrorMessage.failure(422, "inventory is missing from the heartbeat");
    }
    Dispatcher.Dispatch dispatch;
    try {
      agents.heartbeat(beat);
      dispatch = reconciler.onHeartbeat(beat);
    } catch (Exception e) {
      throw new ServiceUnavailableException(
          "cannot record the heartbeat now: " + e.getMessage(), 5L);
    }
    long lease = agents.lease().toSeconds();
    long epoch = maps.current().epoch();
    if (dispatch == null && relay != null && !leadership.isLeader()) {
      HeartbeatResponse answer;
      try {
        answer = relay.relay(beat);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer = null;
      }
      return answer == null ? new HeartbeatResponse(lease, epoch) : answer.withLease(lease, epoch);
    }
    if (dispatch == null) {
      // Not the leader: the agent's tasks and results go to the leader. A leader whose reconciler
      // has not started its first round yet keeps the agent, which sends its results again.
      String leaderUrl = leadership.isLeader() ? null : leadership.currentLeaderUrl();
      return new HeartbeatResponse(lease, epoch, leaderUrl, List.of(), List.of(), List.of());
    }
    return dispatch.answer(lease, epoch);
  }

  /**
   * An idle agent's wait for work ({@link WorkSignals}): answered {@code {"work": true}} as soon as
   * work is queued for one of {@code pool} (the agent then beats to lease it), {@code {"work":
   * false}} once {@code waitMs} has passed; at once {@code true} when such work is queued already,
   * at once {@code false} when this replica holds its most waits already or can learn of no work (a
   * follower that does not relay heartbeats: its agents go to the leader). A read: nothing changes.
   *
   * <p>403 when the caller's agent token belongs to another agent; 422 when no pool is named or
   * {@code waitMs} is not a whole number of milliseconds from 0 to 10 minutes.
   */
  @GET
  @Path("/{id}/work")
  @RolesAllowed(Roles.AGENT)
  public void work(
      @PathParam("id") String id,
      @QueryParam("pool") List<String> pools,
      @QueryParam("waitMs") String waitMs,
      @Context SecurityContext security,
      @Suspended AsyncResponse answer) {
    if (!(security.getUserPrincipal() instanceof StrataPrincipal p) || !id.equals(p.agentId())) {
      throw ErrorMessage.failure(403, "an agent token may wait for work only for its own agent");
    }
    Set<String> named = new HashSet<>();
    if (pools != null) {
      pools.stream().filter(pool -> pool != null && !pool.isBlank()).forEach(named::add);
    }
    if (named.isEmpty()) {
      throw ErrorMessage.failure(422, "pool: name at least one pool the agent serves");
    }
    long ms;
    try {
      ms = Long.parseLong(waitMs == null ? "" : waitMs.strip());
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 0 || ms > WorkSignals.MAX_WAIT.toMillis()) {
      throw ErrorMessage.failure(
          422,
          "waitMs: a whole number of milliseconds from 0 to "
              + WorkSignals.MAX_WAIT.toMillis()
              + ", not '"
              + waitMs
              + "'");
    }
    if (reconciler.hasWorkFor(named)) {
      answer.resume(new WorkAnswer(true)); // Queued since the agent's heartbeat.
      return;
    }
    if (ms == 0 || relay == null && !leadership.isLeader()) {
      answer.resume(new WorkAnswer(false));
      return;
    }
    signals.hold(id, named, Duration.ofMillis(ms), answer);
    if (reconciler.hasWorkFor(named)) {
      // Leasable since the check above: its signal may have come before the wait was held.
      signals.answerHeld(id, answer);
    }
  }
}
