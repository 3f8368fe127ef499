package io.strata.controller.http;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.http.Method;
import io.strata.controller.s3.S3ClientFactory;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.RecallStore;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.recall.Recall;
import io.strata.fleet.reconcile.Shard;
import io.strata.fleet.view.CopyReasons;
import io.strata.policy.evaluate.Evaluation;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.evaluate.StoredObject;
import io.strata.policy.model.SourcePosition;
import io.strata.policy.model.StoragePolicy;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.ListedObject;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.ObjectLock;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Where an object is: {@code /api/v1/datasets/{ds}/objects/{key}}. Reads the pools directly
 * (objects are the truth), so any replica answers.
 */
@Path("/v1/datasets/{dataset}/objects")
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.PLANNER, Roles.ADMIN})
public class ObjectResource {
  private final List<Dataset> datasets;
  private final ClusterMapStore maps;
  private final ShardStore shards;
  private final S3ClientFactory pools;
  private final Supplier<PolicySet> policies;
  private final Clock policyClock;
  private final String site;
  private final RecallStore recalls;
  private final BiFunction<String, String, Optional<Map<String, String>>> planningFacts;

  /**
   * @param planningFacts of a shard id and key, the object's metadata with its study's DICOM facts
   *     as the leader plans it ({@link io.strata.controller.reconcile.Reconciler#planningFacts});
   *     empty on a follower
   */
  public ObjectResource(
      List<Dataset> datasets,
      ClusterMapStore maps,
      ShardStore shards,
      S3ClientFactory pools,
      Supplier<PolicySet> policies,
      Clock policyClock,
      String site,
      RecallStore recalls,
      BiFunction<String, String, Optional<Map<String, String>>> planningFacts) {
    this.datasets = List.copyOf(datasets);
    this.maps = maps;
    this.shards = shards;
    this.pools = pools;
    this.policies = policies;
    this.policyClock = policyClock;
    this.site = site;
    this.recalls = recalls;
    this.planningFacts = planningFacts;
  }

  /**
   * One copy found on a pool, and why it is there.
   *
   * @param status {@code desired} (the phase's rule places it here), {@code extra} (it goes once
   *     every desired copy is verified, or when the recall holding it ends), or {@code kept} (no
   *     policy governs the object)
   * @param reason why, as a word: {@code placement}, {@code recall}, {@code retained}, {@code
   *     pool-state}, {@code old-phase}, {@code landing}, {@code not-placed}, {@code no-policy}
   * @param detail the reason in a sentence
   */
  public record Copy(
      String pool,
      String site,
      String tier,
      long size,
      String sha256,
      String status,
      String reason,
      String detail) {}

  /** A pool the phase's rule places a copy on, where none was found. */
  public record Missing(String pool, String site, String tier, String detail) {}

  /** The governing policy and where it was written. */
  public record PolicyRef(String name, String file, int line, String position) {}

  /** The pools one tier of the phase's rule places the object on. */
  public record RuleCopies(String tier, int copies, String spread, List<String> pools) {}

  /**
   * Desired and known copies, and why.
   *
   * @param phase the phase, e.g. {@code 90d}; null when no policy governs the object
   * @param desired the pools the object's current phase places it on
   * @param known the copies found, nearest site first
   * @param policy the governing policy; null when none (or, in conflict, several) govern it
   * @param phaseRule the phase's rule as its file writes it, e.g. {@code 2 × hot-nvme spread room}
   * @param phasePosition where the phase was written, {@code file:line:column}
   * @param phaseSince when the object entered the phase
   * @param ageFrom where its age counts from, e.g. {@code StudyDate = 20190304}
   * @param nextPhase the phase that follows, e.g. {@code 5y}; null in the last phase
   * @param nextTransition when the next phase begins; null in the last phase
   * @param nextMoveAt the first instant in a movement window from then; null in the last phase
   * @param rules the desired pools by tier of the phase's rule
   * @param missing desired pools where no copy was found
   * @param factsFrom what the policy was chosen and the age counted by: {@code scans} (the leader:
   *     the object's metadata and its study's DICOM headers, as its plans take them) or {@code
   *     metadata} (a follower: the object's own user metadata, which a DICOM header does not reach)
   */
  public record Locations(
      String dataset,
      String key,
      String phase,
      List<String> desired,
      List<Copy> known,
      PolicyRef policy,
      String phaseRule,
      String phasePosition,
      Instant phaseSince,
      String ageFrom,
      String nextPhase,
      Instant nextTransition,
      Instant nextMoveAt,
      List<RuleCopies> rules,
      List<Missing> missing,
      String factsFrom) {}

  /** A copy found by a HEAD, before it is explained. */
  private record Found(Pool pool, StatObjectResponse head) {}

  /** 200 with desired and known copies and why; 404 unknown dataset or no copy anywhere. */
  @GET
  @Path("/{key: .+}/locations")
  @Produces(MediaType.APPLICATION_JSON)
  public Locations locations(@PathParam("dataset") String dataset, @PathParam("key") String key)
      throws Exception {
    Dataset ds = dataset(dataset);
    ClusterMap map = maps.current();
    Shard shard = shardOf(ds.name(), key);
    List<Found> found = new ArrayList<>();
    for (Pool pool : candidates(ds, shard, map)) {
      head(pool, ds.name(), key).ifPresent(h -> found.add(new Found(pool, h)));
    }
    if (found.isEmpty()) {
      throw new NotFoundException("no copy of '" + key + "' in dataset '" + dataset + "'");
    }
    StatObjectResponse any = found.get(0).head();
    // The leader explains by what it plans by; a follower has only the object's metadata.
    Optional<Map<String, String>> planned = planningFacts.apply(shard.id(), key);
    Map<String, String> facts = planned.orElse(any.userMetadata());
    String factsFrom = planned.isPresent() ? "scans" : "metadata";
    Optional<StoragePolicy> policy = policies.get().governing(ds.name(), key, facts).policy();
    Evaluation eval =
        policy
            .map(
                p ->
                    PolicyEvaluator.evaluate(
                        p,
                        new StoredObject(key, any.size(), any.lastModified().toInstant(), facts),
                        policyClock.instant()))
            .orElse(null);
    List<String> desired =
        eval == null
            ? List.of()
            : Placement.place(shard.placementKey(), eval.rule(), map).stream()
                .map(Pool::id)
                .toList();
    // What keeps each copy by its own markers, as the planner and the agents judge it.
    Map<String, Map<String, String>> metadataOf = new HashMap<>();
    found.forEach(f -> metadataOf.put(f.pool().id(), f.head().userMetadata()));
    List<Map<String, String>> desiredCopies =
        desired.stream().filter(metadataOf::containsKey).map(metadataOf::get).toList();
    int required = eval == null ? 0 : eval.rule().totalCopies();
    Instant now = policyClock.instant();
    Map<String, CopyReasons.Verdict> verdicts = new HashMap<>();
    for (CopyReasons.Verdict v :
        CopyReasons.explain(
            map,
            shard.placementKey(),
            policy.orElse(null),
            eval == null ? null : eval.phase(),
            desired,
            found.stream().map(f -> f.pool().id()).toList(),
            ds.landingPools(),
            recallNaming(ds.name(), key, any),
            pool -> keptBy(map, pool, metadataOf.get(pool), desiredCopies, required, now))) {
      verdicts.put(v.pool(), v);
    }
    List<Copy> known = new ArrayList<>();
    for (Found f : found) {
      CopyReasons.Verdict v = verdicts.get(f.pool().id());
      known.add(
          new Copy(
              f.pool().id(),
              map.ancestor(f.pool(), DomainLevel.SITE).map(d -> d.id()).orElse(null),
              f.pool().tier(),
              f.head().size(),
              StrataMetadata.get(f.head().userMetadata(), StrataMetadata.SHA256),
              v.status().label(),
              v.reason().label(),
              v.detail()));
    }
    known.sort(
        Comparator.comparing((Copy c) -> !java.util.Objects.equals(c.site(), site))
            .thenComparing(Copy::pool));
    List<Missing> missing =
        verdicts.values().stream()
            .filter(v -> v.status() == CopyReasons.Status.MISSING)
            .map(
                v ->
                    new Missing(
                        v.pool(),
                        map.pool(v.pool())
                            .flatMap(p -> map.ancestor(p, DomainLevel.SITE))
                            .map(d -> d.id())
                            .orElse(null),
                        map.pool(v.pool()).map(Pool::tier).orElse(null),
                        v.detail()))
            .sorted(Comparator.comparing(Missing::pool))
            .toList();
    if (eval == null) {
      return new Locations(
          ds.name(), key, null, desired, known, null, null, null, null, null, null, null, null,
          List.of(), missing, factsFrom);
    }
    SourcePosition at = eval.policy().position("");
    return new Locations(
        ds.name(),
        key,
        eval.phase().after().toString(),
        desired,
        known,
        new PolicyRef(eval.policy().name(), at.file(), at.line(), at.file() + ":" + at.line()),
        eval.rule().toString(),
        eval.policy().position("phases." + eval.phase().after()).toString(),
        eval.phaseSince(),
        eval.age().source(),
        eval.nextPhase() == null ? null : eval.nextPhase().after().toString(),
        eval.nextTransition(),
        eval.nextMoveAt(),
        byRule(eval.rule(), desired, map),
        missing,
        factsFrom);
  }

  /**
   * Why a copy's own markers keep it, as the planner judges it: on a pool that locks its copies in
   * compliance mode, any retention or hold in force; elsewhere as {@link StrataMetadata#keeps}
   * against the desired copies. Null when they let it go.
   */
  private static String keptBy(
      ClusterMap map,
      String pool,
      Map<String, String> metadata,
      List<Map<String, String>> desired,
      int required,
      Instant now) {
    boolean compliance =
        map.pool(pool).map(p -> p.objectLock() == ObjectLock.COMPLIANCE).orElse(false);
    Optional<String> kept =
        compliance
            ? StrataMetadata.protection(metadata, now)
            : StrataMetadata.keeps(metadata, desired, required, now);
    return kept.orElse(null);
  }

  /** The desired pools under each tier of the rule, in the rule's order. */
  private static List<RuleCopies> byRule(PlacementRule rule, List<String> desired, ClusterMap map) {
    List<RuleCopies> out = new ArrayList<>();
    for (TierCopies copies : rule.copies()) {
      out.add(
          new RuleCopies(
              copies.tier(),
              copies.count(),
              rule.spread().label(),
              desired.stream()
                  .filter(p -> map.pool(p).map(Pool::tier).orElse("").equals(copies.tier()))
                  .toList()));
    }
    return out;
  }

  /**
   * The id of a recall in force that names the object, or null. A HEAD carries no DICOM header, so
   * only recalls by key prefix are recognised here; the reconciler's scans read the headers.
   */
  private String recallNaming(String dataset, String key, StatObjectResponse head)
      throws Exception {
    ListedObject object =
        new ListedObject(key, head.size(), head.lastModified().toInstant(), head.etag(), null);
    for (Recall recall : recalls.holding(policyClock.instant())) {
      if (recall.names(dataset, object)) {
        return recall.id();
      }
    }
    return null;
  }

  /**
   * 307 to a presigned URL (valid 10 minutes) of a copy, nearest site first; 404 when no pool holds
   * it.
   */
  @GET
  @Path("/{key: .+}")
  public Response redirect(@PathParam("dataset") String dataset, @PathParam("key") String key)
      throws Exception {
    Locations where = locations(dataset, key);
    ClusterMap map = maps.current();
    for (Copy copy : where.known()) {
      Pool pool = map.pool(copy.pool()).orElse(null);
      if (pool == null) {
        continue;
      }
      String url =
          pools
              .client(pool)
              .getPresignedObjectUrl(
                  GetPresignedObjectUrlArgs.builder()
                      .method(Method.GET)
                      .bucket(dataset)
                      .object(key)
                      .expiry(600)
                      .build());
      return Response.temporaryRedirect(URI.create(url)).build();
    }
    throw new NotFoundException("no readable copy of '" + key + "'");
  }

  /**
   * The pools worth asking: the dataset's landing pools and the placement of the object's shard
   * under every phase of the policies that claim the dataset. Placement is computed, so a locate
   * costs a handful of HEADs whatever the size of the fleet; a copy stranded outside every
   * placement is the reconciler's to find, through its scans.
   */
  private List<Pool> candidates(Dataset ds, Shard shard, ClusterMap map) {
    java.util.Set<Pool> out = new java.util.LinkedHashSet<>();
    ds.landingPools().forEach(id -> map.pool(id).ifPresent(out::add));
    for (StoragePolicy policy : policies.get().claiming(ds.name())) {
      for (var phase : policy.phases()) {
        out.addAll(Placement.place(shard.placementKey(), phase.rule(), map));
      }
    }
    return List.copyOf(out);
  }

  private Optional<StatObjectResponse> head(Pool pool, String bucket, String key) {
    try {
      MinioClient client = pools.client(pool);
      return Optional.of(
          client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
    } catch (Exception e) {
      return Optional.empty(); // Absent, or the pool is unreachable: not a known copy.
    }
  }

  private Shard shardOf(String dataset, String key) throws Exception {
    for (Shard s : shards.shards(dataset)) {
      if (s.range().contains(key)) {
        return s;
      }
    }
    throw new IllegalStateException("no shard of " + dataset + " holds " + key);
  }

  private Dataset dataset(String name) {
    return datasets.stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NotFoundException("no dataset '" + name + "'"));
  }
}
