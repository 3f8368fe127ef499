package io.strata.controller.http;

import io.strata.controller.files.PolicyFiles;
import io.strata.controller.security.Roles;
import io.strata.policy.model.Phase;
import io.strata.policy.model.StoragePolicy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /api/v1/policies}: the storage policies this replica plans by, where they come from, and
 * whether the files have changed in a way it cannot use.
 */
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {
  private final PolicyFiles policies;

  public PolicyResource(PolicyFiles policies) {
    this.policies = policies;
  }

  /**
   * One policy in force.
   *
   * @param name its name
   * @param description its description
   * @param datasets the datasets it claims, by name or glob
   * @param file where it was read, with its line
   * @param phases each phase as the file writes it ({@code 90d: warm-hdd + cold-archive spread
   *     site})
   * @param retentionMinimum how long objects are kept at least
   * @param legalHold true while objects are held
   * @param expiry the age at which objects are deleted; null for never
   * @param encryption the server-side encryption asked of every copy Strata writes ({@code sse-s3},
   *     or {@code sse-kms with key ID}); null for none
   */
  public record PolicyView(
      String name,
      String description,
      List<String> datasets,
      String file,
      List<String> phases,
      String retentionMinimum,
      boolean legalHold,
      String expiry,
      String encryption) {
    static PolicyView of(StoragePolicy p) {
      return new PolicyView(
          p.name(),
          p.description(),
          p.datasets().stream().map(Object::toString).toList(),
          p.position("").file() + ":" + p.position("").line(),
          p.phases().stream().map(Phase::toString).toList(),
          p.retention().minimum().toString(),
          p.retention().legalHold(),
          p.expiry() == null ? null : p.expiry().toString(),
          p.encryption() == null ? null : p.encryption().toString());
    }
  }

  /**
   * A change of the files this replica could not use.
   *
   * @param at when it was taken up
   * @param problems each problem, as {@code file:line:col: field: message}
   */
  public record RefusedView(Instant at, List<String> problems) {}

  /**
   * @param files the policy files read ({@code reconcile.policyFiles}); empty when the bundled
   *     policies the datasets name are in force
   * @param sha256 the digest the replicas compare (policies, datasets and reconcile settings)
   * @param readAt when the policies in force were read: at start, or after the change that brought
   *     them
   * @param policies the policies in force, by name
   * @param refused the last change of the files that could not be used, while the files are as it
   *     left them; null when the files in force are the files as they are
   */
  public record PoliciesView(
      List<String> files,
      String sha256,
      Instant readAt,
      List<PolicyView> policies,
      RefusedView refused) {}

  /** 200 always. */
  @GET
  public PoliciesView policies() {
    PolicyFiles.Status status = policies.status();
    PolicyFiles.InForce inForce = status.inForce();
    PolicyFiles.Refused refused = status.refused();
    return new PoliciesView(
        policies.files().stream().map(java.nio.file.Path::toString).toList(),
        inForce.sha256(),
        inForce.readAt(),
        inForce.policies().policies().stream()
            .sorted(Comparator.comparing(StoragePolicy::name))
            .map(PolicyView::of)
            .toList(),
        refused == null ? null : new RefusedView(refused.at(), refused.problems()));
  }
}
