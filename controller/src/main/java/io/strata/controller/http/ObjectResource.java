package io.strata.controller.http;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.http.Method;
import io.strata.controller.s3.S3ClientFactory;
import io.strata.controller.security.Roles;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.Shard;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.evaluate.StoredObject;
import io.strata.policy.model.StoragePolicy;
import io.strata.protocol.object.StrataMetadata;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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

  public ObjectResource(
      List<Dataset> datasets,
      ClusterMapStore maps,
      ShardStore shards,
      S3ClientFactory pools,
      Supplier<PolicySet> policies,
      Clock policyClock,
      String site) {
    this.datasets = List.copyOf(datasets);
    this.maps = maps;
    this.shards = shards;
    this.pools = pools;
    this.policies = policies;
    this.policyClock = policyClock;
    this.site = site;
  }

  /** One copy found on a pool. */
  public record Copy(String pool, String site, String tier, long size, String sha256) {}

  /**
   * Desired and known copies.
   *
   * @param desired the pools the object's current phase places it on
   * @param phase the phase, e.g. {@code 90d}
   * @param known the copies found, nearest site first
   */
  public record Locations(
      String dataset, String key, String phase, List<String> desired, List<Copy> known) {}

  /** 200 with desired and known copies; 404 unknown dataset or no copy anywhere. */
  @GET
  @Path("/{key: .+}/locations")
  @Produces(MediaType.APPLICATION_JSON)
  public Locations locations(@PathParam("dataset") String dataset, @PathParam("key") String key)
      throws Exception {
    Dataset ds = dataset(dataset);
    ClusterMap map = maps.current();
    Shard shard = shardOf(ds.name(), key);
    List<Copy> known = new ArrayList<>();
    StatObjectResponse any = null;
    for (Pool pool : candidates(ds, shard, map)) {
      Optional<StatObjectResponse> head = head(pool, ds.name(), key);
      if (head.isPresent()) {
        any = any == null ? head.get() : any;
        known.add(
            new Copy(
                pool.id(),
                map.ancestor(pool, DomainLevel.SITE).map(d -> d.id()).orElse(null),
                pool.tier(),
                head.get().size(),
                StrataMetadata.get(head.get().userMetadata(), StrataMetadata.SHA256)));
      }
    }
    if (any == null) {
      throw new NotFoundException("no copy of '" + key + "' in dataset '" + dataset + "'");
    }
    known.sort(
        Comparator.comparing((Copy c) -> !java.util.Objects.equals(c.site(), site))
            .thenComparing(Copy::pool));
    String phase = null;
    List<String> desired = List.of();
    Optional<StoragePolicy> policy =
        policies.get().governing(ds.name(), key, any.userMetadata()).policy();
    if (policy.isPresent()) {
      var eval =
          PolicyEvaluator.evaluate(
              policy.get(),
              new StoredObject(key, any.size(), any.lastModified().toInstant(), any.userMetadata()),
              policyClock.instant());
      phase = eval.phase().after().toString();
      desired =
          Placement.place(shard.placementKey(), eval.rule(), map).stream().map(Pool::id).toList();
    }
    return new Locations(ds.name(), key, phase, desired, known);
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
