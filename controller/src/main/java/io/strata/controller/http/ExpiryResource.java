package io.strata.controller.http;

import io.strata.controller.reconcile.DestructionCertificates;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ExpiryStore;
import io.strata.controller.zookeeper.Leadership;
import io.strata.fleet.expiry.Due;
import io.strata.fleet.expiry.Expiry;
import io.strata.fleet.expiry.ExpiryProgress;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.StoragePolicy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/expiries}: data past its policy's expiry, and its destruction on record. The
 * leader's plans show what is due per dataset and policy; nothing is deleted until an admin
 * approves an expiry, which names the dataset, the policy and the latest expiry date it covers, and
 * says why. The leader then deletes every copy of each object it covers, once every copy is
 * accounted for, never one a legal hold names ({@link HoldResource}) or retention keeps, and writes
 * a destruction certificate ({@link DestructionCertificates}) anchored in the audit trail.
 * Approvals live in ZooKeeper, so a new leader carries them on.
 */
@Path("/v1/expiries")
@Produces(MediaType.APPLICATION_JSON)
public class ExpiryResource {
  private static final String EXPECTED =
      "the body must be {\"dataset\": NAME, \"policy\": NAME, \"reason\": TEXT} with an optional"
          + " \"cutoff\": an ISO-8601 instant, not in the future (default: now)";
  private static final Pattern ID = Pattern.compile("expiry-[0-9a-f]{12}");
  private static final SecureRandom IDS = new SecureRandom();

  private final ExpiryStore store;
  private final DestructionCertificates certificates;
  private final Reconciler reconciler;
  private final Leadership leadership;
  private final Supplier<PolicySet> policies;
  private final Set<String> datasets;
  private final Clock clock;
  private final Clock ageClock;

  /**
   * @param datasets the names of the datasets this controller keeps
   * @param clock the wall clock, which the pools date copies by: an approval covers only objects
   *     written before it
   * @param ageClock the clock objects age by, which expiry dates are on
   */
  public ExpiryResource(
      ExpiryStore store,
      DestructionCertificates certificates,
      Reconciler reconciler,
      Leadership leadership,
      Supplier<PolicySet> policies,
      Collection<String> datasets,
      Clock clock,
      Clock ageClock) {
    this.store = store;
    this.ageClock = ageClock;
    this.certificates = certificates;
    this.reconciler = reconciler;
    this.leadership = leadership;
    this.policies = policies;
    this.datasets = new TreeSet<>(datasets);
    this.clock = clock;
  }

  /** The body of an approval. */
  public record ExpiryRequest(String dataset, String policy, String cutoff, String reason) {}

  /**
   * Objects past expiry that no approval covers, per dataset and policy.
   *
   * @param objects objects past expiry
   * @param bytes their bytes (one copy each)
   * @param copies their copies: what an approval would delete
   * @param held of the objects, those legal holds keep
   * @param basis the legal basis the policy states
   */
  public record DueView(
      String dataset,
      String policy,
      long objects,
      long bytes,
      long copies,
      long held,
      String basis) {}

  /**
   * An approved expiry, with how far it has come.
   *
   * @param remaining the objects it covers still present, by the leader's last plans: to delete,
   *     held, and waiting until each copy is accounted for; null on a follower
   * @param destroyed copies and bytes the agents reported deleted so far
   */
  public record ApprovedView(
      Expiry expiry, ExpiryProgress remaining, ExpiryStore.Tally destroyed) {}

  /**
   * @param leading whether this replica leads: only the leader's plans know what is due
   * @param due what is past expiry, soonest first by dataset and policy; empty on a follower
   * @param approved the approvals not yet done
   * @param certificates the ids of the destruction certificates kept
   */
  public record ExpiriesView(
      boolean leading, List<DueView> due, List<ApprovedView> approved, List<String> certificates) {}

  /** 200: what is due, what is approved and how far it has come, the certificates. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public ExpiriesView list() throws Exception {
    PolicySet set = policies.get();
    List<DueView> due = new ArrayList<>();
    reconciler.expiryDue().entrySet().stream()
        .sorted(
            Map.Entry.comparingByKey(
                java.util.Comparator.comparing(Due::dataset).thenComparing(Due::policy)))
        .forEach(
            e ->
                due.add(
                    new DueView(
                        e.getKey().dataset(),
                        e.getKey().policy(),
                        e.getValue().objects(),
                        e.getValue().bytes(),
                        e.getValue().copies(),
                        e.getValue().held(),
                        set.named(e.getKey().policy()).map(ExpiryResource::basis).orElse(null))));
    Map<String, ExpiryProgress> progress = reconciler.expiryProgress();
    List<ApprovedView> approved = new ArrayList<>();
    for (Expiry e : store.expiries()) {
      approved.add(
          new ApprovedView(
              e,
              reconciler.isLeading() ? progress.getOrDefault(e.id(), ExpiryProgress.NONE) : null,
              store.tally(e.id())));
    }
    return new ExpiriesView(reconciler.isLeading(), due, approved, certificates.ids());
  }

  /** 200: a destruction certificate as it was stored; its SHA-256 is in the audit trail. */
  @GET
  @Path("/certificates/{id}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN, Roles.AUDITOR})
  public Response certificate(@PathParam("id") String id) {
    if (!ID.matcher(id).matches()) {
      throw new NotFoundException("no certificate '" + id + "': ids read expiry-<12 hex digits>");
    }
    byte[] document =
        certificates
            .read(id)
            .orElseThrow(() -> new NotFoundException("no certificate '" + id + "' is kept"));
    return Response.ok(document, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /**
   * Approves the destruction of the objects of a dataset under a policy whose expiry fell on or
   * before {@code cutoff} (default now). 200 with the approval; 400 when the body is not JSON; 422
   * when it is not such an approval (naming the field) or the cutoff is in the future; 404 for a
   * dataset or policy this controller does not have; 409 when the policy's retention forbids it (a
   * legal hold on the policy, no expiry, naming the rule and where it is written), when an approval
   * of the same dataset and policy is still running, when the leader's plans show nothing due, or
   * on a follower (naming the leader, whose plans tell what is due). Nothing is stored unless it
   * answers 200. Admins only; the call is in the audit trail.
   */
  @POST
  @RolesAllowed(Roles.ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  public Expiry approve(String body, @Context SecurityContext security) throws Exception {
    ExpiryRequest r = read(body);
    Callers.knownDataset(datasets, r.dataset());
    StoragePolicy policy =
        policies
            .get()
            .named(r.policy())
            .orElseThrow(() -> new NotFoundException("no policy '" + r.policy() + "' in force"));
    if (!policy.claims(r.dataset())) {
      throw unprocessable(
          "field 'policy': policy '"
              + r.policy()
              + "' does not claim dataset '"
              + r.dataset()
              + "' ("
              + policy.position("datasets")
              + ")");
    }
    if (policy.expiry() == null) {
      throw ErrorMessage.failure(
          409,
          "policy '"
              + policy.name()
              + "' has no expiry ("
              + policy.file()
              + "): its data is kept for ever and none is destroyed");
    }
    if (policy.retention().legalHold()) {
      throw ErrorMessage.failure(
          409,
          "retention.legalHold of policy '"
              + policy.name()
              + "' ("
              + policy.position("retention.legalHold")
              + ") forbids destroying its data until the policy lifts the hold");
    }
    Instant cutoff = cutoff(r.cutoff(), ageClock.instant());
    if (!reconciler.isLeading()) {
      String leader = leadership.currentLeaderUrl();
      throw ErrorMessage.failure(
          409,
          "this replica does not lead; what is due is known from the leader's plans"
              + (leader == null ? "" : ", at " + leader));
    }
    for (Expiry running : store.expiries()) {
      if (running.dataset().equals(r.dataset()) && running.policy().equals(r.policy())) {
        throw ErrorMessage.failure(
            409,
            "expiry "
                + running.id()
                + " of dataset '"
                + r.dataset()
                + "' under policy '"
                + r.policy()
                + "' is still running; approve again once its certificate is written");
      }
    }
    ExpiryProgress due =
        reconciler.expiryDue().getOrDefault(new Due(r.dataset(), r.policy()), ExpiryProgress.NONE);
    if (due.objects() == due.held()) {
      throw ErrorMessage.failure(
          409,
          "no object of dataset '"
              + r.dataset()
              + "' under policy '"
              + r.policy()
              + "' is past its expiry and free of legal holds by the leader's last plans"
              + (due.held() > 0 ? " (" + due.held() + " held)" : ""));
    }
    String who = Callers.who(security);
    byte[] id = new byte[6];
    IDS.nextBytes(id);
    Expiry expiry =
        new Expiry(
            "expiry-" + HexFormat.of().formatHex(id),
            r.dataset(),
            r.policy(),
            cutoff,
            clock.instant(),
            who,
            basis(policy),
            r.reason().strip());
    try {
      store.approve(expiry);
    } catch (ExpiryStore.FullException e) {
      throw ErrorMessage.failure(409, e.getMessage());
    }
    return expiry;
  }

  /** The legal basis a policy states for keeping, then destroying, its data. */
  static String basis(StoragePolicy p) {
    return p.recordClass().label()
        + ": "
        + p.recordClass().basis()
        + "; retention minimum "
        + p.retention().minimum()
        + (p.retention().override() == null ? "" : " (override: " + p.retention().override() + ")")
        + "; expiry "
        + p.expiry()
        + " (policy '"
        + p.name()
        + "', "
        + p.position("expiry")
        + ")";
  }

  private static Instant cutoff(String text, Instant now) {
    if (text == null) {
      return now;
    }
    Instant cutoff;
    try {
      cutoff = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw unprocessable(
          "field 'cutoff' must be an ISO-8601 instant such as 2026-06-01T00:00:00Z");
    }
    if (cutoff.isAfter(now)) {
      throw unprocessable(
          "field 'cutoff' ("
              + cutoff
              + ") is in the future; it is now "
              + now
              + ": nothing can be approved for destruction before it expires");
    }
    return cutoff;
  }

  /** The request in {@code body}, or an answer saying what is wrong with it, and where. */
  static ExpiryRequest read(String body) {
    ExpiryRequest r = JsonBodyErrors.strict(body, ExpiryRequest.class, EXPECTED);
    for (String[] field :
        new String[][] {{"dataset", r.dataset()}, {"policy", r.policy()}, {"reason", r.reason()}}) {
      if (field[1] == null || field[1].isBlank()) {
        throw unprocessable(EXPECTED + "; field '" + field[0] + "' is missing");
      }
    }
    if (r.reason().length() > 500) {
      throw unprocessable("field 'reason' is longer than 500 characters");
    }
    return r;
  }

  private static WebApplicationException unprocessable(String message) {
    return ErrorMessage.failure(422, message);
  }
}
