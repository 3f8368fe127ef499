package io.strata.controller.api;

import io.strata.controller.leader.Leadership;
import io.strata.controller.security.IdentityAgreement;
import io.strata.controller.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code /api/v1/replicas}: the live controller replicas, and whether their users and tokens files
 * grant the same.
 */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Path("/v1/replicas")
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaResource {
  private final IdentityAgreement agreement;
  private final Leadership leadership;

  public ReplicaResource(IdentityAgreement agreement, Leadership leadership) {
    this.agreement = agreement;
    this.leadership = leadership;
  }

  /**
   * One live replica.
   *
   * @param replica its id
   * @param leader true when it leads, as this replica knows
   * @param self true for the replica that answers
   * @param usersSha256 what its users file grants ({@code Identities#usersDigest})
   * @param tokensSha256 what its tokens file grants ({@code Identities#tokensDigest})
   * @param sameIdentityFiles true when both equal the answering replica's
   */
  public record ReplicaView(
      String replica,
      boolean leader,
      boolean self,
      String usersSha256,
      String tokensSha256,
      boolean sameIdentityFiles) {}

  /**
   * @param identityFilesAgree true when every live replica's files grant the same as this one's
   * @param differing the replicas whose files grant something else
   * @param replicas every live replica, by id
   */
  public record ReplicasView(
      boolean identityFilesAgree, List<String> differing, List<ReplicaView> replicas) {}

  /** 200 always; a replica that cannot reach ZooKeeper lists the replicas it saw last. */
  @GET
  public ReplicasView replicas() {
    IdentityAgreement.Published mine = agreement.current();
    List<String> differing = agreement.differing();
    String leader = leadership.currentLeaderId();
    List<ReplicaView> replicas =
        agreement.replicas().stream()
            .map(
                p ->
                    new ReplicaView(
                        p.replica(),
                        p.replica().equals(leader),
                        p.replica().equals(mine.replica()),
                        p.users(),
                        p.tokens(),
                        !differing.contains(p.replica())))
            .toList();
    return new ReplicasView(differing.isEmpty(), differing, replicas);
  }
}
