package io.strata.controller.http;

import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.Leadership;
import io.strata.fleet.ledger.DurabilityLedger;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /api/v1/ledger}: the durability ledger per dataset, as a hospital is given it: objects and
 * copies by the leader's last scans, copies per site and per room, and copies verified by content
 * within 30 days (a scrub re-read them against their SHA-256; {@code
 * strata_verified_within_30d_ratio}). The leader answers; a follower answers 409 naming it.
 */
@Path("/v1/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {
  private final Reconciler reconciler;
  private final Leadership leadership;
  private final Set<String> datasets;
  private final Clock clock;

  public LedgerResource(
      Reconciler reconciler, Leadership leadership, Collection<String> datasets, Clock clock) {
    this.clock = clock;
    this.reconciler = reconciler;
    this.leadership = leadership;
    this.datasets = new TreeSet<>(datasets);
  }

  /**
   * The ledger of one dataset.
   *
   * @param verificationsSince since when the current leader leads; the times of verification from
   *     before it are kept in the system dataset and count as well
   */
  public record Ledger(DurabilityLedger.Dataset dataset, Instant verificationsSince) {}

  /** 200: every dataset's ledger; 409 on a follower. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public List<Ledger> all() {
    List<Ledger> out = new ArrayList<>();
    leaderOnly()
        .ledger(true)
        .values()
        .forEach(d -> out.add(new Ledger(d, reconciler.leadingSince())));
    return out;
  }

  /**
   * 200: one dataset's ledger; 404 for a dataset this controller does not keep; 409 on a follower.
   */
  @GET
  @Path("/{dataset}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public Ledger one(@PathParam("dataset") String dataset) {
    known(dataset);
    DurabilityLedger.Dataset d = leaderOnly().ledger(true).get(dataset);
    return new Ledger(d, reconciler.leadingSince());
  }

  /**
   * 200: the dataset's ledger as a CSV a hospital can be given, a line per copy (see {@link
   * LedgerReport}), streamed; 404 for an unknown dataset; 409 on a follower.
   */
  @GET
  @Path("/{dataset}/report.csv")
  @Produces("text/csv")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public Response csv(@PathParam("dataset") String dataset) {
    known(dataset);
    Reconciler leader = leaderOnly();
    Instant now = clock.instant();
    StreamingOutput body = out -> LedgerReport.csv(leader, dataset, now, out);
    return Response.ok(body, "text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"ledger-" + dataset + ".csv\"")
        .build();
  }

  /**
   * 200: the dataset's ledger as a PDF: its figures, copies by site and room, and the copies not
   * verified within 30 days or found wrong (the first {@value LedgerReport#PDF_ROWS} of each); 404
   * for an unknown dataset; 409 on a follower.
   */
  @GET
  @Path("/{dataset}/report.pdf")
  @Produces("application/pdf")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public Response pdf(@PathParam("dataset") String dataset) throws Exception {
    known(dataset);
    Reconciler leader = leaderOnly();
    DurabilityLedger.Dataset d = leader.ledger(true).get(dataset);
    byte[] pdf = LedgerReport.pdf(leader, d, leader.leadingSince(), clock.instant());
    return Response.ok(pdf, "application/pdf")
        .header("Content-Disposition", "attachment; filename=\"ledger-" + dataset + ".pdf\"")
        .build();
  }

  private void known(String dataset) {
    Callers.knownDataset(datasets, dataset);
  }

  /**
   * One study's copies, each with its pool, site and room and when it was last verified by content.
   * 200; 404 for an unknown dataset, or when the leader's scans hold no object of the study (a
   * study is known only where scans read DICOM headers); 409 on a follower.
   */
  @GET
  @Path("/{dataset}/studies/{uid}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public StudyLedger study(@PathParam("dataset") String dataset, @PathParam("uid") String uid) {
    known(dataset);
    DurabilityLedger.Study study = leaderOnly().studyLedger(dataset, uid);
    if (study == null) {
      throw new NotFoundException(
          "no object with StudyInstanceUID "
              + uid
              + " in dataset "
              + dataset
              + " by the leader's scans (DICOM headers are read for datasets a policy selects on"
              + " a DICOM field for)");
    }
    return new StudyLedger(study, reconciler.leadingSince());
  }

  /** One study's ledger; {@code verificationsSince} as {@link Ledger}'s. */
  public record StudyLedger(DurabilityLedger.Study study, Instant verificationsSince) {}

  private Reconciler leaderOnly() {
    if (!reconciler.isLeading()) {
      String leader = leadership.currentLeaderUrl();
      throw ErrorMessage.failure(
          409,
          "this replica does not lead; the ledger is the leader's"
              + (leader == null ? "" : ", at " + leader));
    }
    return reconciler;
  }
}
