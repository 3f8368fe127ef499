package io.strata.controller.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.fleet.datasets.Dataset;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.Phase;
import io.strata.policy.model.StoragePolicy;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.TopologyException;
import io.strata.topology.TopologyFile;
import io.strata.topology.placement.RuleValidator;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Operator changes to the cluster map: drain and undrain pools or whole domains, set a pool's
 * weight, add a pool. Every change to the map is checked against the policies first: a change that
 * would leave a policy phase unsatisfiable is refused with 409 and the reason, and nothing changes.
 * On Kubernetes, a drain of a failure domain that holds copies of the same shards as a domain being
 * drained or down is refused with 409 too ({@link DrainCheck}).
 */
@Path("/v1/cluster-map")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorResource {
  private final ClusterMapStore maps;
  private final Supplier<PolicySet> policies;
  private final DrainCheck drains;
  private final List<Dataset> datasets;

  /**
   * Whether draining a pool or domain now would disrupt a second failure domain holding copies of
   * the same shards as one disrupted already.
   */
  @FunctionalInterface
  public interface DrainCheck {
    /** Drains are not checked. */
    DrainCheck NONE = (map, id) -> List.of();

    /**
     * @return why draining {@code id} (a pool or domain of {@code map}) must wait; empty when it
     *     need not
     */
    List<String> conflicts(ClusterMap map, String id) throws Exception;
  }

  public OperatorResource(ClusterMapStore maps, Supplier<PolicySet> policies) {
    this(maps, policies, DrainCheck.NONE, List.of());
  }

  /**
   * @param drains refuses a drain that would disrupt two failure domains holding copies of the same
   *     shards at once
   * @param datasets the datasets, whose landing pools a drain may not take (it could never finish)
   */
  public OperatorResource(
      ClusterMapStore maps,
      Supplier<PolicySet> policies,
      DrainCheck drains,
      List<Dataset> datasets) {
    this.maps = maps;
    this.policies = policies;
    this.drains = drains;
    this.datasets = List.copyOf(datasets);
  }

  /**
   * The map's epoch after a change, and the pools it changed; a change that changed nothing (a pool
   * drained again, a weight set to what it was) names none and keeps the epoch.
   */
  public record Changed(long epoch, List<String> pools) {}

  /**
   * Drains a pool: it takes no new copies and its copies move away; it becomes {@code out} once
   * empty. 200 with the new epoch; 404 unknown pool; 409 when a policy could no longer be placed,
   * or when the pool is a dataset's landing pool (hospitals keep writing there, so it would never
   * be empty: the answer names the datasets).
   */
  @POST
  @Path("/pools/{id}/drain")
  @RolesAllowed(Roles.OPERATOR)
  public Changed drainPool(@PathParam("id") String id) throws Exception {
    return setState(id, DomainState.DRAINING);
  }

  /** Drains every pool in a domain (a rack, row, room or site). As for a pool. */
  @POST
  @Path("/domains/{id}/drain")
  @RolesAllowed(Roles.OPERATOR)
  public Changed drainDomain(@PathParam("id") String id) throws Exception {
    return setState(id, DomainState.DRAINING);
  }

  /** Takes a pool back into service. 200; 404 unknown pool. */
  @POST
  @Path("/pools/{id}/undrain")
  @RolesAllowed(Roles.OPERATOR)
  public Changed undrainPool(@PathParam("id") String id) throws Exception {
    return setState(id, DomainState.UP);
  }

  /** Takes every pool of a domain back into service. 200; 404 unknown domain. */
  @POST
  @Path("/domains/{id}/undrain")
  @RolesAllowed(Roles.OPERATOR)
  public Changed undrainDomain(@PathParam("id") String id) throws Exception {
    return setState(id, DomainState.UP);
  }

  private Changed setState(String id, DomainState state) throws Exception {
    if (state == DomainState.DRAINING) {
      List<String> landing = landingPools(datasets, maps.current(), id);
      if (!landing.isEmpty()) {
        throw neverEnds(id, landing);
      }
      List<String> conflicts = drains.conflicts(maps.current(), id);
      if (!conflicts.isEmpty()) {
        throw ErrorMessage.failure(
            409,
            "draining '"
                + id
                + "' now would take a second copy of some shards out of service; wait until the"
                + " other drain or outage is over",
            conflicts);
      }
    }
    List<String> changed = new ArrayList<>();
    ClusterMap next = change(map -> withState(map, id, state, changed));
    return new Changed(next.epoch(), List.copyOf(changed));
  }

  /**
   * {@code map} with the pool {@code id}, or every pool of the domain {@code id}, in {@code state};
   * the pools whose state this changes are put in {@code changed}.
   *
   * @throws NotFoundException when there is no such pool or domain
   */
  static ClusterMap withState(ClusterMap map, String id, DomainState state, List<String> changed) {
    List<Pool> pools =
        map.pools().containsKey(id)
            ? List.of(map.pools().get(id))
            : map.domains().containsKey(id) ? map.poolsUnder(id) : null;
    if (pools == null) {
      throw new NotFoundException("no pool or domain '" + id + "' in the cluster map");
    }
    ClusterMap out = map;
    changed.clear();
    for (Pool p : pools) {
      // A pool that is out was drained and emptied already: draining it again is not a change
      // (undraining it takes it back).
      boolean already =
          p.state() == state || state == DomainState.DRAINING && p.state() == DomainState.OUT;
      if (!already) {
        out = out.withPool(p.withState(state));
        changed.add(p.id());
      }
    }
    return out;
  }

  /**
   * The landing pools among those that draining {@code id} (a pool or domain) would drain, each as
   * {@code "pool P is the landing pool of dataset(s) D, E"}; empty when there are none (or no such
   * pool or domain, which the change itself then refuses).
   */
  static List<String> landingPools(List<Dataset> datasets, ClusterMap map, String id) {
    List<Pool> pools =
        map.pools().containsKey(id)
            ? List.of(map.pools().get(id))
            : map.domains().containsKey(id) ? map.poolsUnder(id) : List.of();
    List<String> out = new ArrayList<>();
    for (Pool p : pools) {
      if (p.state() == DomainState.DRAINING || p.state() == DomainState.OUT) {
        continue;
      }
      List<String> landingHere =
          datasets.stream()
              .filter(d -> d.landingPools() != null && d.landingPools().contains(p.id()))
              .map(Dataset::name)
              .toList();
      if (!landingHere.isEmpty()) {
        out.add(
            "pool "
                + p.id()
                + " is the landing pool of dataset"
                + (landingHere.size() == 1 ? " " : "s ")
                + String.join(", ", landingHere));
      }
    }
    return out;
  }

  /** The 409 of a drain that could never finish, naming the landing pools and their datasets. */
  static WebApplicationException neverEnds(String id, List<String> landing) {
    return ErrorMessage.failure(
        409,
        "draining '"
            + id
            + "' could never finish: new objects keep landing in it ("
            + String.join("; ", landing)
            + "). Give those datasets other landing pools in the controller's configuration"
            + " first; nothing changed",
        landing);
  }

  /** A weight change. */
  public record Weight(Double weight) {}

  /** Reads the bodies of weight changes, refusing unknown fields (a misspelt weight). */
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Sets a pool's placement weight. 200; 400 when the body is not JSON; 404 unknown pool; 422 when
   * the body is not {@code {"weight": w}} with w a finite number of 0 or more.
   */
  @PUT
  @Path("/pools/{id}/weight")
  @RolesAllowed(Roles.OPERATOR)
  @Consumes(MediaType.APPLICATION_JSON)
  public Changed weight(@PathParam("id") String id, String body) throws Exception {
    Weight weight = readWeight(body);
    List<String> changed = new ArrayList<>();
    ClusterMap next = change(map -> withWeight(map, id, weight.weight(), changed));
    return new Changed(next.epoch(), List.copyOf(changed));
  }

  /** {@code map} with pool {@code id} weighing {@code weight}; 404 when there is no such pool. */
  static ClusterMap withWeight(ClusterMap map, String id, double weight, List<String> changed) {
    Pool pool = map.pool(id).orElseThrow(() -> new NotFoundException("no pool '" + id + "'"));
    changed.clear();
    if (pool.weight() != weight) {
      changed.add(id);
    }
    return map.withPool(pool.withWeight(weight));
  }

  /** The weight in {@code body}, or an answer saying what is wrong with it, and where. */
  static Weight readWeight(String body) {
    String expected = "the body must be {\"weight\": w}, w a finite number of 0 or more";
    if (body == null || body.isBlank()) {
      throw unprocessable(expected + "; it is empty", List.of());
    }
    Weight weight;
    try {
      weight = STRICT.readValue(body, Weight.class);
    } catch (UnrecognizedPropertyException e) {
      throw unprocessable(
          expected + "; unknown field '" + e.getPropertyName() + "'" + JsonBodyErrors.at(e),
          List.of());
    } catch (JsonParseException e) {
      throw new WebApplicationException(new JsonBodyErrors.Malformed().toResponse(e));
    } catch (JsonProcessingException e) {
      throw unprocessable(expected + JsonBodyErrors.at(e), List.of());
    }
    if (weight == null || weight.weight() == null) {
      throw unprocessable(expected + "; it has no weight", List.of());
    }
    if (!(weight.weight() >= 0) || weight.weight().isInfinite()) {
      throw unprocessable(expected + "; it has " + weight.weight(), List.of());
    }
    return weight;
  }

  /**
   * Adds a pool (topology-file form: id, domain, tier, endpoint, capacity, credentials). 200; 409
   * when the id exists; 422 when the body is not such a pool (an unknown key, a value of the wrong
   * type) or the pool is invalid (unknown domain or tier, no endpoint).
   */
  @POST
  @Path("/pools")
  @RolesAllowed(Roles.ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  public Changed addPool(String body) throws Exception {
    TopologyFile.PoolEntry entry;
    try {
      entry = TopologyFile.poolEntry("request body", body);
    } catch (TopologyException e) {
      throw unprocessable("the body is not a pool in topology-file form", e.problems());
    }
    if (entry.id() == null) {
      throw unprocessable("a pool needs at least id, domain, tier, endpoint", List.of());
    }
    ClusterMap next = change(map -> withPools(map, List.of(entry)));
    return new Changed(next.epoch(), List.of(entry.id()));
  }

  /**
   * {@code map} with {@code entries} added; 409 when one's id exists.
   *
   * @throws TopologyException when the map with them is not valid
   */
  static ClusterMap withPools(ClusterMap map, List<TopologyFile.PoolEntry> entries) {
    TopologyFile.Document doc = TopologyFile.document(map);
    List<TopologyFile.PoolEntry> pools = new ArrayList<>(doc.pools());
    for (TopologyFile.PoolEntry entry : entries) {
      if (map.pools().containsKey(entry.id())) {
        throw ErrorMessage.failure(409, "pool '" + entry.id() + "' exists already");
      }
      pools.add(entry);
    }
    // JSON is YAML: the whole map goes through the topology file's validation.
    return TopologyFile.parse(
        "request body",
        toJson(new TopologyFile.Document(map.epoch() + 1, doc.tiers(), doc.domains(), pools)));
  }

  private static String toJson(TopologyFile.Document doc) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(doc);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Applies a map change unless it makes a policy phase unsatisfiable that was satisfiable. */
  private ClusterMap change(java.util.function.UnaryOperator<ClusterMap> change) throws Exception {
    try {
      return maps.update(
          map -> {
            ClusterMap next = change.apply(map);
            List<String> broken = newlyUnsatisfiable(policies.get(), map, next);
            if (!broken.isEmpty()) {
              throw ErrorMessage.failure(
                  409, "the change would leave storage policies unsatisfiable", broken);
            }
            return next;
          });
    } catch (TopologyException e) {
      throw unprocessable("the change makes the cluster map invalid", e.problems());
    }
  }

  /** The policy phases {@code after} can no longer place that {@code before} could. */
  public static List<String> newlyUnsatisfiable(
      PolicySet policies, ClusterMap before, ClusterMap after) {
    List<String> out = new ArrayList<>();
    for (StoragePolicy policy : policies.policies()) {
      for (Phase phase : policy.phases()) {
        if (RuleValidator.problems(phase.rule(), before).isEmpty()) {
          for (String problem : RuleValidator.problems(phase.rule(), after)) {
            out.add("policy " + policy.name() + ", phase " + phase.after() + ": " + problem);
          }
        }
      }
    }
    return out;
  }

  static WebApplicationException unprocessable(String message, List<String> details) {
    return ErrorMessage.failure(422, message, details);
  }
}
