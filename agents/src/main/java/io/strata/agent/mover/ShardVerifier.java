package io.strata.agent.mover;

import com.google.common.collect.Iterators;
import io.minio.GetObjectResponse;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code verify} task (scrub): re-reads each object and compares its content with its stored
 * Strata SHA-256. Reports mismatches and changes nothing, so it is trivially idempotent.
 */
final class ShardVerifier {

  private final PoolClients clients;
  private final ShardLister lister;
  private final Retrier retrier;
  private final Transfers transfers;
  private final Bandwidth bandwidth;
  private final MoverMetrics metrics;

  ShardVerifier(
      PoolClients clients,
      ShardLister lister,
      Retrier retrier,
      Transfers transfers,
      Bandwidth bandwidth,
      MoverMetrics metrics) {
    this.clients = clients;
    this.lister = lister;
    this.retrier = retrier;
    this.transfers = transfers;
    this.bandwidth = bandwidth;
    this.metrics = metrics;
  }

  KeyTally verify(TaskContext context) {
    Task task = context.task();
    PoolClient pool = clients.get(task.sourcePool(), context.cancellation());
    // A range is verified as its listing is read, page by page, never held whole; a listing that
    // fails at once (a missing bucket, refused credentials) fails the task once. Named keys are
    // read one by one, so the pool is checked first.
    Iterator<String> keys;
    if (task.keys().isEmpty()) {
      keys =
          Iterators.transform(
              context
                  .progress()
                  .listing(
                      lister.stream(pool, task.dataset(), task.range(), context.cancellation())),
              object -> {
                context.progress().addWork(1, object.size());
                return object.key();
              });
    } else {
      Preflight.check(retrier, pool, task.dataset(), context);
      context.progress().addWork(task.keys().size(), 0);
      keys = task.keys().iterator();
    }
    KeyTally tally = new KeyTally();
    transfers.forEach(
        keys,
        context.cancellation(),
        key -> {
          KeyOutcome outcome;
          try {
            outcome =
                retrier.call(
                    pool.poolId(),
                    "VERIFY " + task.dataset() + "/" + key,
                    context.cancellation(),
                    () -> verifyOnce(pool, task.dataset(), key, context));
          } catch (MoverException e) {
            if (e.failure().kind() == FailureKind.TRANSIENT) {
              throw e;
            }
            outcome = KeyOutcome.because(key, KeyStatus.FAILED, e.failure().reason());
          }
          context.progress().objectDone();
          metrics.object(task.type(), pool.poolId(), outcome.status());
          tally.add(outcome);
        });
    return tally;
  }

  private KeyOutcome verifyOnce(PoolClient pool, String bucket, String key, TaskContext context)
      throws Exception {
    GetObjectResponse in;
    try {
      in = pool.open(bucket, key, null);
    } catch (Exception e) {
      if (S3Errors.isNotFound(e)) {
        return KeyOutcome.because(key, KeyStatus.MISSING, "object does not exist");
      }
      throw e;
    }
    try (InputStream closeMe = in) {
      long size = Long.parseLong(in.headers().get("Content-Length"));
      Map<String, String> metadata = ObjectCopier.userMetadata(in.headers());
      String stored = metadata.get(StrataMetadata.SHA256);
      if (stored == null) {
        return new KeyOutcome(
            key, KeyStatus.NO_CHECKSUM, size, null, "no " + StrataMetadata.SHA256 + " stored");
      }
      HashingInputStream hashing =
          HashingInputStream.hashing(
              new MeteredInputStream(
                  in,
                  bandwidth,
                  context.cancellation(),
                  n -> {
                    context.progress().bytesDone(n);
                    metrics.bytes(context.task().type(), pool.poolId(), n);
                  },
                  pool.poolId()));
      String actual = hashing.drain();
      if (hashing.count() != size || !actual.equalsIgnoreCase(stored)) {
        return new KeyOutcome(
            key,
            KeyStatus.MISMATCH,
            hashing.count(),
            actual,
            "content has "
                + hashing.count()
                + " bytes with SHA-256 "
                + actual
                + ", stored SHA-256 is "
                + stored);
      }
      return KeyOutcome.of(key, KeyStatus.VERIFIED, size, actual);
    }
  }
}
