package io.strata.controller.http;

import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ExpiryStore;
import io.strata.fleet.expiry.LegalHold;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /api/v1/holds}: legal holds. While a hold stands, no object it names is destroyed by an
 * expiry, whatever its policy says; it names objects as a recall does (a study, a patient's studies
 * by the hashed PatientID, a key prefix of a dataset) or a whole dataset. Operators and admins
 * place holds, since a hold only keeps data; only admins lift them. Holds live in ZooKeeper, so
 * every leader honours them.
 */
@Path("/v1/holds")
@Produces(MediaType.APPLICATION_JSON)
public class HoldResource {
  private static final String EXPECTED =
      "the body must be {\"reason\": TEXT} with {\"dataset\": NAME} and at most one of"
          + " \"study\": UID, \"patient\": HASH, \"prefix\": PREFIX (a study or a patient may"
          + " leave out the dataset)";
  private static final SecureRandom IDS = new SecureRandom();

  private final ExpiryStore store;
  private final Set<String> datasets;
  private final Clock clock;

  public HoldResource(ExpiryStore store, Collection<String> datasets, Clock clock) {
    this.store = store;
    this.datasets = new TreeSet<>(datasets);
    this.clock = clock;
  }

  /** The body of a hold. */
  public record HoldRequest(
      String dataset, String study, String patient, String prefix, String reason) {}

  /** 200: the holds standing, oldest first. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  public List<LegalHold> list() throws Exception {
    return store.holds();
  }

  /**
   * Places a hold. 200 with it; 400 when the body is not JSON; 422 when it is not such a hold
   * (naming the field); 404 for a dataset this controller does not keep; 409 when {@value
   * ExpiryStore#MAX_RECORDS} holds stand. Nothing is stored unless it answers 200.
   */
  @POST
  @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
  @Consumes(MediaType.APPLICATION_JSON)
  public LegalHold place(String body, @Context SecurityContext security) throws Exception {
    HoldRequest r = read(body);
    if (r.dataset() != null) {
      Callers.knownDataset(datasets, r.dataset());
    }
    String who = Callers.who(security);
    byte[] id = new byte[6];
    IDS.nextBytes(id);
    LegalHold hold =
        new LegalHold(
            "hold-" + HexFormat.of().formatHex(id),
            r.dataset(),
            r.study(),
            r.patient() == null ? null : r.patient().toLowerCase(Locale.ROOT),
            r.prefix(),
            r.reason().strip(),
            clock.instant(),
            who);
    try {
      store.place(hold);
    } catch (ExpiryStore.FullException e) {
      throw ErrorMessage.failure(409, e.getMessage());
    }
    return hold;
  }

  /** Lifts a hold: 204; 404 when no such hold stands. Admins only. */
  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  public void lift(@PathParam("id") String id) throws Exception {
    if (!id.matches("hold-[0-9a-f]{12}") || !store.lift(id)) {
      throw new NotFoundException("no legal hold '" + id + "' stands");
    }
  }

  /** The request in {@code body}, or an answer saying what is wrong with it, and where. */
  static HoldRequest read(String body) {
    HoldRequest r = JsonBodyErrors.strict(body, HoldRequest.class, EXPECTED);
    if (r.reason() == null || r.reason().isBlank()) {
      throw unprocessable(EXPECTED + "; field 'reason' is missing");
    }
    if (r.reason().length() > 500) {
      throw unprocessable("field 'reason' is longer than 500 characters");
    }
    List<String> named = DicomNames.named(r.study(), r.patient(), r.prefix());
    if (named.size() > 1) {
      throw unprocessable(EXPECTED + "; it names " + String.join(" and ", named) + ": name one");
    }
    if ((named.isEmpty() || r.prefix() != null) && r.dataset() == null) {
      throw unprocessable(
          EXPECTED
              + "; field 'dataset' is required "
              + (named.isEmpty() ? "to hold a whole dataset" : "with a prefix"));
    }
    DicomNames.check(r.study(), r.patient());
    if (r.prefix() != null && r.prefix().isEmpty()) {
      throw unprocessable("field 'prefix' is empty: leave it out to hold the whole dataset");
    }
    return r;
  }

  private static WebApplicationException unprocessable(String message) {
    return ErrorMessage.failure(422, message);
  }
}
