package io.strata.agent.mover;

import io.strata.agent.task.ListedObject;
import io.strata.agent.task.ScanSummary;
import io.strata.agent.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code scan} task: summarizes a shard in one pool from its listing alone.
 *
 * <p>Cost: one LIST request per 1,000 objects and no per-object request. The checksum of each
 * object is the Strata SHA-256 when the listing carries user metadata (MinIO does, when asked with
 * {@code metadata=true}); elsewhere it is the ETag, which is exact for equal uploads but differs
 * between a single-part and a multipart upload of the same bytes. Reading the SHA-256 there would
 * take one HEAD per object, which a scan deliberately does not pay: disagreeing digests only
 * trigger a key-by-key diff, whose copy step compares SHA-256 markers.
 *
 * <p>Read-only, so trivially idempotent.
 */
final class ShardScanner {

  private final PoolClients clients;
  private final ShardLister lister;

  ShardScanner(PoolClients clients, ShardLister lister) {
    this.clients = clients;
    this.lister = lister;
  }

  ScanSummary scan(TaskContext context) {
    Task task = context.task();
    PoolClient pool = clients.get(task.sourcePool());
    ScanDigest digest = new ScanDigest();
    List<ListedObject> listing = new ArrayList<>();
    lister.list(
        pool,
        task.dataset(),
        task.range(),
        context.cancellation(),
        object -> {
          digest.add(object);
          if (task.includeListing()) {
            listing.add(object);
          }
          context.progress().addWork(1, object.size());
          context.progress().objectDone();
          context.progress().bytesDone(object.size());
        });
    return new ScanSummary(
        digest.objects(),
        digest.bytes(),
        digest.oldest(),
        digest.newest(),
        digest.digest(),
        listing);
  }
}
