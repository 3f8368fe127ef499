package io.strata.controller.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.Leadership;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.ChangePreview;
import io.strata.fleet.reconcile.MovementBudgets;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyLoadResult;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.TopologyException;
import io.strata.topology.TopologyFile;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/previews}: what a change to the cluster map would do, before anyone makes it.
 * The change is applied to a copy of the map by the same code the operator routes use, checked
 * against the policies as they check it, and handed to the leader's planner (see {@link
 * ChangePreview}); nothing is stored, queued or moved. The body names one change:
 *
 * <ul>
 *   <li>{@code {"change": "drain", "pool": ID}} or {@code "domain": ID}; {@code "undrain"} alike;
 *   <li>{@code {"change": "lose", "pool": ID}} or {@code "domain": ID}: what losing it (power, a
 *       switch, a fire) would cost once its grace period ends, the copies made again from the
 *       surviving ones (as repairs, which a policy's bandwidth does not bound);
 *   <li>{@code {"change": "weight", "pool": ID, "weight": W}};
 *   <li>{@code {"change": "add-pools", "pools": [POOL, ...]}}, each in topology-file form;
 *   <li>{@code {"change": "policies", "files": {NAME: TEXT, ...}}}: the policy files that would be
 *       in force, whole; what moves is every object whose rule they change.
 * </ul>
 *
 * <p>200 with the preview; 400 when the body is not JSON; 404 unknown pool or domain; 409 a pool to
 * add exists already; 422 when the body is not such a change (naming the field) or the change makes
 * the map invalid; 409 on a follower (naming the leader), which has no placements; 503 when the
 * leader's round in progress does not end in time; 409 for a drain of a dataset's landing pool,
 * naming the datasets, as the operator route refuses it. Operators and planners may call it, and
 * admins, who add pools and see first what an added pool would draw to it; it changes nothing, so
 * the audit trail records it as it records reads: not at all.
 */
@Path("/v1/previews")
@Produces(MediaType.APPLICATION_JSON)
public class PreviewResource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHANGES = "one of drain, undrain, lose, weight, add-pools, policies";

  private final ClusterMapStore maps;
  private final Supplier<PolicySet> policies;
  private final Reconciler reconciler;
  private final Supplier<MovementBudgets.Rates> rates;
  private final Leadership leadership;
  private final Duration wait;
  private final List<Dataset> datasets;

  /**
   * @param wait how long a preview waits for the leader's round in progress to end
   * @param datasets the datasets: a drain of their landing pools is refused as the operator route
   *     refuses it
   */
  public PreviewResource(
      ClusterMapStore maps,
      Supplier<PolicySet> policies,
      Reconciler reconciler,
      Supplier<MovementBudgets.Rates> rates,
      Leadership leadership,
      Duration wait,
      List<Dataset> datasets) {
    this.datasets = List.copyOf(datasets);
    this.maps = maps;
    this.policies = policies;
    this.reconciler = reconciler;
    this.rates = rates;
    this.leadership = leadership;
    this.wait = wait;
  }

  /**
   * A preview.
   *
   * @param change the change, in words ({@code drain domain czzl-a})
   * @param epoch the epoch of the map it was previewed on
   * @param pools the pools whose state or weight it changes, or that it adds
   * @param brokenPolicies the policy phases it would leave unplaceable (the operator route refuses
   *     such a change with 409)
   * @param movement what would move, how much of it is misplaced, and how long it would take
   */
  public record Preview(
      String change,
      long epoch,
      List<String> pools,
      List<String> brokenPolicies,
      ChangePreview.Report movement) {}

  @POST
  @RolesAllowed({Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
  @Consumes(MediaType.APPLICATION_JSON)
  public Preview preview(String body) throws Exception {
    Change change = read(body);
    ClusterMap before = maps.current();
    if (change.policies() != null) {
      return previewPolicies(change, before);
    }
    List<String> pools = new ArrayList<>();
    ClusterMap after;
    try {
      after = change.apply().apply(before, pools);
    } catch (TopologyException e) {
      throw OperatorResource.unprocessable(
          "the change makes the cluster map invalid", e.problems());
    }
    if (change.drains() != null) {
      List<String> landing = OperatorResource.landingPools(datasets, before, change.drains());
      if (!landing.isEmpty()) {
        throw OperatorResource.neverEnds(change.drains(), landing);
      }
    }
    List<String> broken = OperatorResource.newlyUnsatisfiable(policies.get(), before, after);
    ChangePreview.Report movement;
    try {
      movement = reconciler.preview(before, after, rates.get(), wait);
    } catch (Reconciler.NotLeadingException e) {
      throw notLeading();
    } catch (TimeoutException e) {
      throw roundTooLong();
    }
    return new Preview(change.words(), before.epoch(), List.copyOf(pools), broken, movement);
  }

  /**
   * A change read from a body: what it is in words, and how it changes a map, or the policy files
   * it would put in force.
   */
  private record Change(String words, MapChange apply, List<PolicySource> policies, String drains) {
    Change(String words, MapChange apply) {
      this(words, apply, null, null);
    }

    Change(String words, MapChange apply, List<PolicySource> policies) {
      this(words, apply, policies, null);
    }
  }

  private Preview previewPolicies(Change change, ClusterMap map) throws Exception {
    PolicyLoadResult loaded = PolicyLoader.load(change.policies(), map);
    if (!loaded.errors().isEmpty()) {
      throw OperatorResource.unprocessable(
          "the policy files cannot be put in force",
          loaded.errors().stream().map(Object::toString).toList());
    }
    try {
      return new Preview(
          change.words(),
          map.epoch(),
          List.of(),
          List.of(),
          reconciler.previewPolicies(PolicySet.of(loaded.policies()), rates.get(), wait));
    } catch (Reconciler.NotLeadingException e) {
      throw notLeading();
    } catch (TimeoutException e) {
      throw roundTooLong();
    }
  }

  private WebApplicationException notLeading() {
    String leader = leadership.currentLeaderUrl();
    return ErrorMessage.failure(
        409,
        "this replica does not lead; previews are the leader's"
            + (leader == null ? "" : ", at " + leader));
  }

  private ServiceUnavailableException roundTooLong() {
    return new ServiceUnavailableException(
        "the leader's reconcile round did not end within " + wait.toSeconds() + " s", 5L);
  }

  /** Changes a map, naming the pools it changed. */
  @FunctionalInterface
  private interface MapChange {
    ClusterMap apply(ClusterMap map, List<String> pools);
  }

  /** The change in {@code body}, or a 400 or 422 that says what is wrong and where. */
  static Change read(String body) {
    if (body == null || body.isBlank()) {
      throw invalid("the body is empty; it must be a change, {\"change\": ...}, " + CHANGES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonParseException e) {
      throw new WebApplicationException(new JsonBodyErrors.Malformed().toResponse(e));
    } catch (Exception e) {
      throw invalid("the body is not a JSON object: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("the body must be a JSON object with a field 'change', " + CHANGES);
    }
    JsonNode kind = root.get("change");
    if (kind == null || !kind.isTextual()) {
      throw invalid("field 'change' is missing or not a string; it must be " + CHANGES);
    }
    return switch (kind.asText()) {
      case "drain", "undrain", "lose" -> state(root, kind.asText());
      case "weight" -> weight(root);
      case "add-pools" -> addPools(root);
      case "policies" -> policies(root);
      default -> throw invalid("field 'change' is '" + kind.asText() + "'; it must be " + CHANGES);
    };
  }

  private static Change state(JsonNode root, String kind) {
    onlyFields(root, Set.of("change", "pool", "domain"));
    boolean pool = root.has("pool");
    if (pool == root.has("domain")) {
      throw invalid(kind + " needs exactly one of the fields 'pool' and 'domain'");
    }
    String field = pool ? "pool" : "domain";
    String id = text(root, field);
    DomainState state =
        switch (kind) {
          case "drain" -> DomainState.DRAINING;
          case "lose" -> DomainState.DOWN;
          default -> DomainState.UP;
        };
    return new Change(
        kind + " " + field + " " + id,
        (map, pools) -> OperatorResource.withState(map, id, state, pools),
        null,
        state == DomainState.DRAINING ? id : null);
  }

  private static Change weight(JsonNode root) {
    onlyFields(root, Set.of("change", "pool", "weight"));
    String id = text(root, "pool");
    JsonNode w = root.get("weight");
    if (w == null || !w.isNumber() || !(w.asDouble() >= 0) || Double.isInfinite(w.asDouble())) {
      throw invalid("field 'weight' must be a finite number of 0 or more");
    }
    double weight = w.asDouble();
    return new Change(
        "weight pool " + id + " " + weight,
        (map, pools) -> OperatorResource.withWeight(map, id, weight, pools));
  }

  private static Change addPools(JsonNode root) {
    onlyFields(root, Set.of("change", "pools"));
    JsonNode list = root.get("pools");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw invalid("field 'pools' must be a list of one pool or more, in topology-file form");
    }
    List<TopologyFile.PoolEntry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "pools[" + i + "]";
      try {
        TopologyFile.PoolEntry entry = TopologyFile.poolEntry(where, list.get(i).toString());
        if (entry.id() == null) {
          throw invalid(where + ": a pool needs at least id, domain, tier, endpoint");
        }
        entries.add(entry);
      } catch (TopologyException e) {
        throw OperatorResource.unprocessable(
            where + " is not a pool in topology-file form", e.problems());
      }
    }
    List<String> ids = entries.stream().map(TopologyFile.PoolEntry::id).toList();
    return new Change(
        "add pools " + String.join(", ", ids),
        (map, pools) -> {
          pools.addAll(ids);
          return OperatorResource.withPools(map, entries);
        });
  }

  private static Change policies(JsonNode root) {
    onlyFields(root, Set.of("change", "files"));
    JsonNode files = root.get("files");
    if (files == null || !files.isObject() || files.isEmpty()) {
      throw invalid("field 'files' must map each policy file's name to its text, one file or more");
    }
    List<PolicySource> sources = new ArrayList<>();
    for (Iterator<String> names = files.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode text = files.get(name);
      if (!text.isTextual()) {
        throw invalid("files['" + name + "'] must be the file's text, a string");
      }
      sources.add(new PolicySource(name, text.asText()));
    }
    return new Change(
        "policies " + String.join(", ", sources.stream().map(PolicySource::file).toList()),
        null,
        sources);
  }

  private static void onlyFields(JsonNode root, Set<String> allowed) {
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw invalid(
            "unknown field '" + name + "' for change '" + root.get("change").asText() + "'");
      }
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw invalid("field '" + field + "' must be a non-empty string");
    }
    return value.asText();
  }

  private static WebApplicationException invalid(String message) {
    return OperatorResource.unprocessable(message, List.of());
  }
}
