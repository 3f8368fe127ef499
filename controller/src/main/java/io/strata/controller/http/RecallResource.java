package io.strata.controller.http;

import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.Leadership;
import io.strata.controller.zookeeper.RecallStore;
import io.strata.fleet.recall.Recall;
import io.strata.fleet.recall.RecallProgress;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/**
 * {@code /api/v1/recalls}: bring a study, a patient's studies or the objects under a key prefix
 * back to the hot tier before they are used (a follow-up visit, an AI screening run). A copy of
 * every object named comes back to the hot tier of its policy at a priority above tier transitions
 * and below repairs of data at risk, and stays there for the hold period ({@code
 * reconcile.recallHold}) from the call, then goes as the object returns to its phase. Recalls live
 * in ZooKeeper ({@link RecallStore}), so a new leader carries them on. Times are on the clock
 * objects age by: the wall clock in production, faster in the demo.
 *
 * <p>Patients are named by the keyed hash of their PatientID that the agents compute (32 hex
 * digits), never by the ID; answers carry the hash, never the ID, and the audit trail records the
 * call with its body only as a digest.
 */
@Path("/v1/recalls")
@Produces(MediaType.APPLICATION_JSON)
public class RecallResource {
  private static final String EXPECTED =
      "the body must be {\"study\": UID} or {\"patient\": HASH} or {\"dataset\": NAME, \"prefix\":"
          + " PREFIX}, with \"deadline\": an ISO-8601 instant and, for a study or a patient, an"
          + " optional \"dataset\"";
  private static final SecureRandom IDS = new SecureRandom();

  private final RecallStore recalls;
  private final Reconciler reconciler;
  private final Leadership leadership;
  private final Set<String> datasets;
  private final Duration hold;
  private final Clock clock;
  private final Duration wait;

  /**
   * @param datasets the names of the datasets this controller keeps
   * @param hold how long recalled copies are held on the hot tier ({@code reconcile.recallHold})
   * @param clock the clock objects age by, which recalls are timed on
   * @param wait how long the check that a recall names an object waits for the leader's round
   */
  public RecallResource(
      RecallStore recalls,
      Reconciler reconciler,
      Leadership leadership,
      Collection<String> datasets,
      Duration hold,
      Clock clock,
      Duration wait) {
    this.recalls = recalls;
    this.reconciler = reconciler;
    this.leadership = leadership;
    this.datasets = new TreeSet<>(datasets);
    this.hold = hold;
    this.clock = clock;
    this.wait = wait;
  }

  /** The body of a recall: one of study, patient and prefix; a deadline. */
  public record RecallRequest(
      String dataset, String study, String patient, String prefix, String deadline) {}

  /**
   * A recall as the API shows it.
   *
   * @param state {@code planning} until the leader has planned with it, {@code recalling} while
   *     copies come back, {@code hot} once every object named is on the hot tier, {@code returned}
   *     once the hold has ended; {@code unknown} on a follower, which plans nothing
   * @param progress objects and bytes named, those on the hot tier, and the ETA; null on followers
   */
  public record RecallView(
      String id,
      String dataset,
      String study,
      String patient,
      String prefix,
      Instant deadline,
      Instant holdUntil,
      Instant createdAt,
      String requestedBy,
      String state,
      Progress progress) {}

  /**
   * @param percent of the bytes named, those on the hot tier (100 when none are named)
   * @param etaSeconds until every byte named is hot at the recent rate; 0 when it is, null while no
   *     rate is known yet
   * @param late whether that ETA falls after the deadline
   */
  public record Progress(
      long objects,
      long bytes,
      long hotObjects,
      long hotBytes,
      double percent,
      Long etaSeconds,
      boolean late) {}

  /** 200: every recall kept, oldest first, with its progress (from the leader). */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public List<RecallView> list() throws Exception {
    Map<String, RecallProgress> progress = reconciler.recallProgress();
    List<RecallView> out = new ArrayList<>();
    for (Recall recall : recalls.all()) {
      out.add(view(recall, progress));
    }
    return out;
  }

  /** 200: one recall with its progress; 404 when there is no such recall (or it was forgotten). */
  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public RecallView get(@PathParam("id") String id) throws Exception {
    Recall recall =
        recalls
            .get(id)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "no recall '"
                            + id
                            + "' (recalls are forgotten "
                            + RecallStore.KEPT_AFTER_HOLD.toHours()
                            + " h after their hold ends)"));
    return view(recall, reconciler.recallProgress());
  }

  /**
   * Recalls a study ({@code {"study": UID}}), a patient's studies ({@code {"patient": HASH}}) or
   * the objects under a key prefix of a dataset ({@code {"dataset": NAME, "prefix": P}}), by {@code
   * "deadline"}. 200 with the recall; 400 when the body is not JSON; 422 when it is not such a
   * recall (naming the field), or its deadline is in the past or after the hold period; 404 for a
   * dataset this controller does not keep, or when the leader's scans hold no object the recall
   * names (an unknown study or patient); 409 on a follower, naming the leader, whose scans tell
   * whether the objects exist, or when {@value RecallStore#MAX_RECALLS} recalls are kept already;
   * 503 when the leader's round does not end in time. Nothing is stored unless it answers 200.
   * Operators may call it.
   */
  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Consumes(MediaType.APPLICATION_JSON)
  public RecallView recall(String body, @Context SecurityContext security) throws Exception {
    RecallRequest request = read(body);
    if (request.dataset() != null) {
      Callers.knownDataset(datasets, request.dataset());
    }
    Instant now = clock.instant();
    Instant deadline = deadline(request.deadline(), now);
    String who = Callers.who(security);
    Recall recall =
        new Recall(
            "recall-" + HexFormat.of().formatHex(randomBytes(6)),
            request.dataset(),
            request.study(),
            request.patient() == null ? null : request.patient().toLowerCase(Locale.ROOT),
            request.prefix(),
            deadline,
            now.plus(hold),
            now,
            who);
    boolean found;
    try {
      found = reconciler.namesAnObject(recall, wait);
    } catch (Reconciler.NotLeadingException e) {
      String leader = leadership.currentLeaderUrl();
      throw ErrorMessage.failure(
          409,
          "this replica does not lead; recalls are checked against the leader's scans"
              + (leader == null ? "" : ", at " + leader));
    } catch (TimeoutException e) {
      throw new ServiceUnavailableException(
          "the leader's reconcile round did not end within " + wait.toSeconds() + " s", 5L);
    }
    if (!found) {
      throw new NotFoundException(notFound(recall));
    }
    try {
      recalls.add(recall);
    } catch (RecallStore.FullException e) {
      throw ErrorMessage.failure(409, e.getMessage());
    }
    return view(recall, Map.of());
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    IDS.nextBytes(bytes);
    return bytes;
  }

  private RecallView view(Recall r, Map<String, RecallProgress> all) {
    Instant now = clock.instant();
    RecallProgress p = all.get(r.id());
    String state;
    Progress progress = null;
    if (!r.holdsAt(now)) {
      state = "returned";
    } else if (!reconciler.isLeading()) {
      state = "unknown";
    } else if (p == null) {
      state = "planning";
    } else {
      state = p.complete() ? "hot" : "recalling";
    }
    if (reconciler.isLeading()) {
      RecallProgress q = p == null ? RecallProgress.NONE : p;
      Long eta = p == null ? null : reconciler.recallEta(r.id(), q);
      double percent = q.bytes() == 0 ? 100 : Math.floor(1000.0 * q.hotBytes() / q.bytes()) / 10;
      boolean late =
          r.holdsAt(now)
              && (eta == null
                  ? now.isAfter(r.deadline()) && !q.complete()
                  : now.plusSeconds(eta).isAfter(r.deadline()));
      progress =
          new Progress(q.objects(), q.bytes(), q.hotObjects(), q.hotBytes(), percent, eta, late);
    }
    return new RecallView(
        r.id(),
        r.dataset(),
        r.study(),
        r.patient(),
        r.prefix(),
        r.deadline(),
        r.holdUntil(),
        r.createdAt(),
        r.requestedBy(),
        state,
        progress);
  }

  private static String notFound(Recall r) {
    String what =
        r.study() != null
            ? "with StudyInstanceUID " + r.study()
            : r.patient() != null
                ? "of patient " + r.patient()
                : "under prefix '" + r.prefix() + "'";
    return "no object "
        + what
        + (r.dataset() == null ? " in any dataset" : " in dataset " + r.dataset())
        + " by the leader's scans"
        + (r.needsHeaders()
            ? " (DICOM headers are read for datasets a policy selects on a DICOM field for)"
            : "");
  }

  /** The deadline, after {@code now} and within the hold; 422 naming the field otherwise. */
  private Instant deadline(String text, Instant now) {
    Instant deadline;
    try {
      deadline = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw unprocessable(
          "field 'deadline' must be an ISO-8601 instant such as 2026-06-02T08:00:00Z");
    }
    if (!deadline.isAfter(now)) {
      throw unprocessable("field 'deadline' (" + deadline + ") is in the past; it is now " + now);
    }
    if (deadline.isAfter(now.plus(hold))) {
      throw unprocessable(
          "field 'deadline' ("
              + deadline
              + ") is after the hold period of "
              + hold
              + " (until "
              + now.plus(hold)
              + "): the data would return to its phase before it is needed");
    }
    return deadline;
  }

  /** The request in {@code body}, or an answer saying what is wrong with it, and where. */
  static RecallRequest read(String body) {
    RecallRequest r = JsonBodyErrors.strict(body, RecallRequest.class, EXPECTED);
    List<String> named = DicomNames.named(r.study(), r.patient(), r.prefix());
    if (named.size() != 1) {
      throw unprocessable(
          EXPECTED
              + (named.isEmpty()
                  ? "; it names none of study, patient, prefix"
                  : "; it names " + String.join(" and ", named) + ": name one"));
    }
    DicomNames.check(r.study(), r.patient());
    if (r.prefix() != null && (r.prefix().isEmpty() || r.dataset() == null)) {
      throw unprocessable(
          r.prefix().isEmpty()
              ? "field 'prefix' is empty: it would recall the whole dataset"
              : "field 'dataset' is required with a prefix");
    }
    if (r.deadline() == null) {
      throw unprocessable(EXPECTED + "; field 'deadline' is missing");
    }
    return r;
  }

  private static WebApplicationException unprocessable(String message) {
    return ErrorMessage.failure(422, message);
  }
}
