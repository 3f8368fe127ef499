package io.strata.agent.pool;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.Bucket;
import io.minio.messages.Item;
import io.strata.protocol.heartbeat.PoolReport;

/**
 * Counts the objects and bytes of every bucket on one pool by listing it. The listing stops after
 * {@code maxObjects} (the report then carries a lower bound). The directories a filesystem-backed
 * server lists (as common prefixes, which the client library marks as directories) are not objects;
 * an empty object named {@code folder/} on MinIO or AWS is.
 *
 * <p>A pool that answers with an error is counted again at once, up to {@link #ATTEMPTS} times in
 * all, before the census reports it unreachable: the report holds until the next census, and a
 * single bad answer (a 503 under load, a listing that raced a write) is not an outage. A pool that
 * cannot be reached at all is reported at once.
 *
 * <p>This is the walking-skeleton measure of fill; per-shard scans replace it at scale.
 */
public final class PoolCensus {
  /** How many times a census lists a pool that answers with errors before it gives up. */
  static final int ATTEMPTS = 3;

  private final String poolId;
  private final MinioClient client;
  private final long maxObjects;

  public PoolCensus(String poolId, MinioClient client, long maxObjects) {
    this.poolId = poolId;
    this.client = client;
    this.maxObjects = maxObjects;
  }

  public String poolId() {
    return poolId;
  }

  /** Lists the pool now; never throws: an unreachable pool gives a report that says why. */
  public PoolReport count() {
    Exception failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return countOnce();
      } catch (ErrorResponseException | InvalidResponseException | ServerException answered) {
        failure = answered; // The pool answered: it may well answer the next listing.
      } catch (Exception e) {
        // Not reached, or a failure no second listing mends (connection refused, bad address).
        failure = e;
        break;
      }
    }
    return new PoolReport(poolId, false, describe(failure), -1, -1);
  }

  private PoolReport countOnce() throws Exception {
    long objects = 0;
    long bytes = 0;
    for (Bucket bucket : client.listBuckets()) {
      Iterable<Result<Item>> items =
          client.listObjects(
              ListObjectsArgs.builder().bucket(bucket.name()).recursive(true).build());
      for (Result<Item> result : items) {
        Item item = result.get();
        if (item.isDir()) {
          continue;
        }
        objects++;
        bytes += item.size();
        if (objects >= maxObjects) {
          return new PoolReport(poolId, true, null, bytes, objects);
        }
      }
    }
    return new PoolReport(poolId, true, null, bytes, objects);
  }

  static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
