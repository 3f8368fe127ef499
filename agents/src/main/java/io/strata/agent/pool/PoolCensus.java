package io.strata.agent.pool;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Bucket;
import io.minio.messages.Item;
import io.strata.protocol.heartbeat.PoolReport;

/**
 * Counts the objects and bytes of every bucket on one pool by listing it. The listing stops after
 * {@code maxObjects} (the report then carries a lower bound). The directories a filesystem-backed
 * server lists (as common prefixes, which the client library marks as directories) are not objects;
 * an empty object named {@code folder/} on MinIO or AWS is.
 *
 * <p>This is the walking-skeleton measure of fill; per-shard scans replace it at scale.
 */
public final class PoolCensus {
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
    long objects = 0;
    long bytes = 0;
    try {
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
    } catch (Exception e) {
      // Any failure of the pool (connection refused, 403, bad answer) is a report, not a crash.
      return new PoolReport(poolId, false, describe(e), -1, -1);
    }
  }

  static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
