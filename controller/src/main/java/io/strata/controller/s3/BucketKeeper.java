package io.strata.controller.s3;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.strata.fleet.datasets.Dataset;
import io.strata.fleet.reconcile.PoolAvailability;
import io.strata.topology.ClusterMap;
import io.strata.topology.ObjectLock;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a bucket of every dataset on every available pool, so that copies and scans find it.
 * Idempotent; remembers what it has seen and asks each pool once per dataset. The pools are asked
 * {@value #PARALLEL} at a time: a new leader, or a fleet coming up, has every pool to ask, and one
 * after the other that is minutes at a thousand pools (two requests each per dataset) and hours at
 * fifty thousand, all of it inside a reconcile round. On a pool configured with an object lock the
 * buckets it creates have object lock enabled; a bucket that exists already is left as it is.
 */
public final class BucketKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(BucketKeeper.class);

  /** Pools asked at once. */
  static final int PARALLEL = 16;

  private final S3ClientFactory clients;
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  private final ExecutorService requests =
      Executors.newFixedThreadPool(
          PARALLEL,
          r -> {
            Thread t = new Thread(r, "bucket-keeper");
            t.setDaemon(true);
            return t;
          });

  public BucketKeeper(S3ClientFactory clients) {
    this.clients = clients;
  }

  /**
   * Creates missing buckets on available pools; a pool that fails is tried next round. Returns once
   * every pool has answered or failed.
   */
  public void ensure(
      ClusterMap map, List<Dataset> datasets, Map<String, PoolAvailability> availability)
      throws InterruptedException {
    List<Callable<Void>> missing = new ArrayList<>();
    for (Pool pool : map.pools().values()) {
      if (availability.get(pool.id()) != PoolAvailability.AVAILABLE) {
        continue;
      }
      for (Dataset dataset : datasets) {
        if (!present.contains(pool.id() + "/" + dataset.name())) {
          missing.add(
              () -> {
                ensure(pool, dataset);
                return null;
              });
        }
      }
    }
    if (!missing.isEmpty()) {
      requests.invokeAll(missing);
    }
  }

  private void ensure(Pool pool, Dataset dataset) {
    try {
      MinioClient client = clients.client(pool);
      boolean locking = pool.objectLock() != ObjectLock.NONE;
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(dataset.name()).build())) {
        // A pool that locks its copies needs buckets with object lock (and so versioning) on:
        // S3 turns it on only when a bucket is created.
        client.makeBucket(
            MakeBucketArgs.builder().bucket(dataset.name()).objectLock(locking).build());
        LOG.info(
            "created bucket {} on pool {}{}",
            dataset.name(),
            pool.id(),
            locking ? " with object lock" : "");
      }
      present.add(pool.id() + "/" + dataset.name());
    } catch (Exception e) {
      LOG.warn("cannot ensure bucket {} on pool {}: {}", dataset.name(), pool.id(), e.toString());
    }
  }
}
