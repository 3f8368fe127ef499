package io.strata.controller.http;

import io.strata.controller.reconcile.RoundStatus;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.Leadership;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/v1/leader}: which replica leads, and whether this one does. */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Path("/v1/leader")
@Produces(MediaType.APPLICATION_JSON)
public class LeaderResource {
  private final Leadership leadership;
  private final RoundStatus rounds;

  public LeaderResource(Leadership leadership, RoundStatus rounds) {
    this.leadership = leadership;
    this.rounds = rounds;
  }

  /**
   * Leadership as this replica sees it.
   *
   * @param replica this replica's id
   * @param leader true when this replica leads
   * @param epoch the fencing epoch of this replica's term, or -1 when it does not lead
   * @param currentLeader the leader's id, when known
   * @param currentLeaderUrl where agents reach the leader (its {@code advertisedUrl}), when known
   * @param reconcile how this replica's reconcile rounds went (a follower's do not plan)
   */
  public record LeaderView(
      String replica,
      boolean leader,
      long epoch,
      String currentLeader,
      String currentLeaderUrl,
      RoundStatus.View reconcile) {}

  /** 200 always. */
  @GET
  public LeaderView leader() {
    var term = leadership.term();
    return new LeaderView(
        leadership.replicaId(),
        term != null,
        term == null ? -1 : term.epoch(),
        leadership.currentLeaderId(),
        leadership.currentLeaderUrl(),
        rounds.view());
  }
}
