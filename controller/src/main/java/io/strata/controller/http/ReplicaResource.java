package io.strata.controller.http;

import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.ReplicaAgreement;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code /api/v1/replicas}: the live controller replicas, and whether they run by the same users
 * and tokens, and by the same storage policies, datasets and reconcile settings.
 */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Path("/v1/replicas")
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaResource {
  private final ReplicaAgreement agreement;
  private final Leadership leadership;

  public ReplicaResource(ReplicaAgreement agreement, Leadership leadership) {
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
   * @param policiesSha256 its storage policies, datasets and reconcile settings; null from a
   *     replica that does not publish them
   * @param sameIdentityFiles true when its users and tokens equal the answering replica's
   * @param samePolicies true when its policies, datasets and settings equal the answering replica's
   *     (or it does not publish them)
   */
  public record ReplicaView(
      String replica,
      boolean leader,
      boolean self,
      String usersSha256,
      String tokensSha256,
      String policiesSha256,
      boolean sameIdentityFiles,
      boolean samePolicies) {}

  /**
   * @param identityFilesAgree true when every live replica's users and tokens equal this one's
   * @param identityFilesDiffering the replicas whose users or tokens differ
   * @param policiesAgree true when every live replica's policies, datasets and settings equal this
   *     one's
   * @param policiesDiffering the replicas whose policies, datasets or settings differ
   * @param replicas every live replica, by id
   */
  public record ReplicasView(
      boolean identityFilesAgree,
      List<String> identityFilesDiffering,
      boolean policiesAgree,
      List<String> policiesDiffering,
      List<ReplicaView> replicas) {}

  /** 200 always; a replica that cannot reach ZooKeeper lists the replicas it saw last. */
  @GET
  public ReplicasView replicas() {
    ReplicaAgreement.View view = agreement.view();
    ReplicaAgreement.Differing differing = view.differing();
    String leader = leadership.currentLeaderId();
    List<ReplicaView> replicas =
        view.replicas().stream()
            .map(
                p ->
                    new ReplicaView(
                        p.replica(),
                        p.replica().equals(leader),
                        p.replica().equals(view.self()),
                        p.users(),
                        p.tokens(),
                        p.policies(),
                        !differing.identityFiles().contains(p.replica()),
                        !differing.policies().contains(p.replica())))
            .toList();
    return new ReplicasView(
        differing.identityFiles().isEmpty(),
        differing.identityFiles(),
        differing.policies().isEmpty(),
        differing.policies(),
        replicas);
  }
}
