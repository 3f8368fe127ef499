package io.strata.controller.s3;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.PoolAvailability;
import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a bucket of every dataset on every available pool, so that copies and scans find it.
 * Idempotent; remembers what it has seen and asks each pool once per dataset.
 */
public final class BucketKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(BucketKeeper.class);

  private final S3ClientFactory clients;
  private final Set<String> present = ConcurrentHashMap.newKeySet();

  public BucketKeeper(S3ClientFactory clients) {
    this.clients = clients;
  }

  /** Creates missing buckets on available pools; a pool that fails is tried next round. */
  public void ensure(
      ClusterMap map, List<Dataset> datasets, Map<String, PoolAvailability> availability) {
    for (Pool pool : map.pools().values()) {
      if (availability.get(pool.id()) != PoolAvailability.AVAILABLE) {
        continue;
      }
      for (Dataset dataset : datasets) {
        String key = pool.id() + "/" + dataset.name();
        if (present.contains(key)) {
          continue;
        }
        try {
          MinioClient client = clients.client(pool);
          if (!client.bucketExists(BucketExistsArgs.builder().bucket(dataset.name()).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(dataset.name()).build());
            LOG.info("created bucket {} on pool {}", dataset.name(), pool.id());
          }
          present.add(key);
        } catch (Exception e) {
          LOG.warn(
              "cannot ensure bucket {} on pool {}: {}", dataset.name(), pool.id(), e.toString());
        }
      }
    }
  }
}
