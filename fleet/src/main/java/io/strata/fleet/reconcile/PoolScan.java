package io.strata.fleet.reconcile;

import io.strata.protocol.task.ListedObject;
import java.time.Instant;
import java.util.Map;

/**
 * What one scan of a shard in one pool saw.
 *
 * @param pool the pool scanned
 * @param epoch the cluster-map epoch the scan ran at
 * @param scannedAt when the controller recorded it
 * @param objects every object of the shard in the pool, by key
 */
public record PoolScan(
    String pool, long epoch, Instant scannedAt, Map<String, ListedObject> objects) {
  public PoolScan {
    objects = Map.copyOf(objects);
  }

  /** The bytes of the objects it saw. */
  public long bytes() {
    long bytes = 0;
    for (ListedObject o : objects.values()) {
      bytes += o.size();
    }
    return bytes;
  }
}
