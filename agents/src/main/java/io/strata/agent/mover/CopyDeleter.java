package io.strata.agent.mover;

import io.minio.StatObjectResponse;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskFailure;
import io.strata.protocol.task.VerifiedCopy;
import io.strata.topology.ObjectLock;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code delete-copy} task. Refuses the whole task unless {@link DeleteGuard#refusal} passes;
 * then for each key, in order: skip if already absent, refuse under legal hold (or a marker that
 * cannot be read), re-check by HEAD that the required copies elsewhere exist with the proof's size
 * and SHA-256, refuse a copy retained ({@code strata-retain-until} in force) unless as many of
 * those copies are retained at least as long (its retention passes on to them: a copy moved within
 * its phase carries the same date; a destruction under an expiry is refused any retention), refuse
 * if the local object differs from them (it was rewritten since), and only then delete. Idempotent:
 * a re-run finds deleted keys absent.
 */
final class CopyDeleter {
  /** See {@link DeletionRecord}: one line per copy about to be deleted, at DEBUG. */
  private static final Logger DELETIONS = LoggerFactory.getLogger(DeletionRecord.LOGGER);

  private final PoolClients clients;
  private final Retrier retrier;
  private final Transfers transfers;
  private final MoverMetrics metrics;
  private final Clock clock;

  CopyDeleter(
      PoolClients clients,
      Retrier retrier,
      Transfers transfers,
      MoverMetrics metrics,
      Clock clock) {
    this.clients = clients;
    this.retrier = retrier;
    this.transfers = transfers;
    this.metrics = metrics;
    this.clock = clock;
  }

  KeyTally delete(TaskContext context) {
    Task task = context.task();
    Optional<String> refusal = DeleteGuard.refusal(task, context.currentEpoch());
    if (refusal.isPresent()) {
      throw new MoverException(TaskFailure.permanent("refused: " + refusal.get()));
    }
    PoolClient pool = clients.get(task.sourcePool(), context.cancellation());
    Preflight.check(retrier, pool, task.dataset(), context);
    List<String> keys = DeleteGuard.keysOf(task);
    context.progress().addWork(keys.size(), 0);
    KeyTally tally = new KeyTally();
    transfers.forEach(
        keys,
        context.cancellation(),
        key -> {
          KeyOutcome outcome;
          try {
            outcome = deleteKey(pool, key, task, context);
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

  private KeyOutcome deleteKey(PoolClient pool, String key, Task task, TaskContext context) {
    String bucket = task.dataset();
    StatObjectResponse local = head(pool, bucket, key, context);
    if (local == null) {
      return KeyOutcome.of(key, KeyStatus.ALREADY_ABSENT, -1, null);
    }
    Instant now = clock.instant();
    Optional<String> protection = DeleteGuard.protection(local.userMetadata(), now);
    // A retain-until in force passes on to the copies that stay (checked below), never to none.
    Optional<Instant> retained = StrataMetadata.retentionInForce(local.userMetadata(), now);
    if (protection.isPresent() && (retained.isEmpty() || task.proof().expiry() != null)) {
      return KeyOutcome.because(key, KeyStatus.REFUSED, protection.get());
    }
    if (retained.isPresent() && pool.objectLock() == ObjectLock.COMPLIANCE) {
      // Nobody deletes a version under compliance retention before its date, so it cannot move.
      return KeyOutcome.because(
          key,
          KeyStatus.REFUSED,
          protection.orElseThrow()
              + ", and pool "
              + pool.poolId()
              + " locks it in compliance mode: it stays there until then");
    }
    List<VerifiedCopy> claimed = task.proof().copies().get(key);
    if (task.proof().expiry() != null) {
      // A destruction: no copy stays, and only the version the plan saw goes: its size, and its
      // SHA-256 marker, or its content's SHA-256 where it carries none (a hospital's upload).
      VerifiedCopy self = claimed.get(0);
      String sha = StrataMetadata.get(local.userMetadata(), StrataMetadata.SHA256);
      if (sha == null
          && local.size() == self.size()
          && !DeleteProof.UNMARKED.equals(self.sha256())) {
        // No marker to compare: hash the content, pinned to the ETag the HEAD saw.
        sha = contentSha(pool, bucket, key, local.etag());
      }
      if (local.size() != self.size() || (sha != null && !sha.equalsIgnoreCase(self.sha256()))) {
        return KeyOutcome.because(
            key,
            KeyStatus.REFUSED,
            "the object on pool "
                + pool.poolId()
                + " is not the version expiry "
                + task.proof().expiry()
                + " covers (size "
                + local.size()
                + ", SHA-256 "
                + sha
                + "); it may have been rewritten since");
      }
      return removeChecked(pool, bucket, key, task, context, local, List.of());
    }
    List<String> problems = new ArrayList<>();
    List<VerifiedCopy> confirmed = new ArrayList<>();
    Set<String> confirmedPools = new HashSet<>();
    Set<String> sourceEtags = new HashSet<>();
    Set<String> retainedAsLong = new HashSet<>();
    for (VerifiedCopy copy : claimed) {
      if (copy.pool().equals(task.sourcePool()) || confirmedPools.contains(copy.pool())) {
        continue;
      }
      Optional<String> problem =
          recheck(copy, bucket, key, context, sourceEtags, retained.orElse(null), retainedAsLong);
      if (problem.isPresent()) {
        problems.add(problem.get());
      } else {
        confirmedPools.add(copy.pool());
        confirmed.add(copy);
      }
    }
    int required = task.proof().requiredCopies();
    if (confirmedPools.size() < required) {
      return KeyOutcome.because(
          key,
          KeyStatus.REFUSED,
          "only "
              + confirmedPools.size()
              + " of "
              + required
              + " required copies re-verified: "
              + String.join("; ", problems));
    }
    if (retained.isPresent() && retainedAsLong.size() < required) {
      return KeyOutcome.because(
          key,
          KeyStatus.REFUSED,
          protection.orElseThrow()
              + ", and only "
              + retainedAsLong.size()
              + " of the "
              + required
              + " copies that must stay are retained as long");
    }
    if (!localMatchesCopies(local, confirmed, sourceEtags)) {
      return KeyOutcome.because(
          key,
          KeyStatus.REFUSED,
          "the object on pool "
              + pool.poolId()
              + " differs from the verified copies; it may have been rewritten since the proof");
    }
    return removeChecked(pool, bucket, key, task, context, local, confirmed);
  }

  /**
   * Deletes a copy that passed its checks, while the map is still the one the proof was made for;
   * {@code confirmed} are the copies that stay (none for a destruction under an expiry).
   */
  private KeyOutcome removeChecked(
      PoolClient pool,
      String bucket,
      String key,
      Task task,
      TaskContext context,
      StatObjectResponse local,
      List<VerifiedCopy> confirmed) {
    // The checks took time: delete only while the map is still the one the proof was made for.
    long epoch = context.currentEpoch();
    if (epoch != task.epoch()) {
      return KeyOutcome.because(
          key,
          KeyStatus.REFUSED,
          epoch == TaskContext.NO_EPOCH
              ? "the agent has not heard from the controller within its lease; the cluster map"
                  + " may have moved on from epoch "
                  + task.epoch()
              : "the cluster map moved on from epoch "
                  + task.epoch()
                  + " to "
                  + epoch
                  + " while the task ran");
    }
    if (DELETIONS.isDebugEnabled()) {
      DELETIONS.debug(
          new DeletionRecord(
                  clock.instant(),
                  pool.poolId(),
                  bucket,
                  key,
                  local.size(),
                  StrataMetadata.get(local.userMetadata(), StrataMetadata.SHA256),
                  local.lastModified() == null ? null : local.lastModified().toInstant(),
                  confirmed.stream().map(VerifiedCopy::pool).toList())
              .line());
    }
    // A pool that locks its copies keeps them in versioned buckets: the version checked goes, not
    // a delete marker in front of it. Governance retention is bypassed only for a copy whose
    // retention the checks above passed on to the copies that stay; the pool refuses the rest.
    boolean locking = pool.objectLock() != ObjectLock.NONE;
    String versionId = locking ? local.versionId() : null;
    boolean bypass =
        pool.objectLock() == ObjectLock.GOVERNANCE
            && StrataMetadata.retentionInForce(local.userMetadata(), clock.instant()).isPresent();
    Removal removal =
        retrier.call(
            pool.poolId(),
            "DELETE " + bucket + "/" + key,
            context.cancellation(),
            () -> remove(pool, bucket, key, local.etag(), versionId, bypass, locking));
    return switch (removal) {
      case REMOVED ->
          KeyOutcome.of(
              key,
              KeyStatus.DELETED,
              local.size(),
              StrataMetadata.get(local.userMetadata(), StrataMetadata.SHA256));
      case ABSENT -> KeyOutcome.of(key, KeyStatus.ALREADY_ABSENT, -1, null);
      case LOCKED ->
          KeyOutcome.because(
              key,
              KeyStatus.REFUSED,
              "pool "
                  + pool.poolId()
                  + " refused to delete the copy: its object lock ("
                  + pool.objectLock().label()
                  + " retention or legal hold) keeps it; not deleted");
      case CHANGED ->
          KeyOutcome.because(
              key,
              KeyStatus.REFUSED,
              "the object on pool "
                  + pool.poolId()
                  + " was rewritten after it was checked (its ETag is no longer "
                  + PoolClient.stripQuotes(local.etag())
                  + "); not deleted");
    };
  }

  /** The SHA-256 of an object's content as it is now, read in full; the ETag must not change. */
  private static String contentSha(PoolClient pool, String bucket, String key, String etag)
      throws MoverException {
    try (InputStream in = pool.open(bucket, key, etag)) {
      return HashingInputStream.hashing(in).drain();
    } catch (Exception e) {
      throw new MoverException(
          TaskFailure.transientFailure(
              "could not read " + bucket + "/" + key + " on pool " + pool.poolId() + ": " + e));
    }
  }

  /** What a conditional DELETE did. */
  private enum Removal {
    REMOVED,
    ABSENT,
    CHANGED,
    LOCKED
  }

  /**
   * Deletes the object only if it still has the ETag it had when checked (If-Match), so an object
   * rewritten in the meantime (a hospital's corrected upload) is kept; servers that do not support
   * conditional deletes ignore the condition (S3Proxy among them), which leaves the few
   * milliseconds between the check and the DELETE open there. Not found answers count as already
   * absent. On a pool that locks its copies ({@code locking}), the pool keeping a locked version
   * (see {@link S3Errors#isObjectLocked}) refuses this copy.
   */
  private static Removal remove(
      PoolClient pool,
      String bucket,
      String key,
      String etag,
      String versionId,
      boolean bypass,
      boolean locking)
      throws Exception {
    try {
      pool.remove(bucket, key, etag, versionId, bypass);
      return Removal.REMOVED;
    } catch (Exception e) {
      if (S3Errors.isPreconditionFailed(e)) {
        return Removal.CHANGED;
      }
      if (locking && S3Errors.isObjectLocked(e)) {
        return Removal.LOCKED;
      }
      if (S3Errors.isNotFound(e)) {
        return Removal.ABSENT;
      }
      throw e;
    }
  }

  /**
   * Re-checks one copy the proof names; empty when it holds the proof's size and marker. Adds its
   * pool to {@code retainedAsLong} when its retain-until is at least {@code retainedUntil} (null:
   * not asked).
   */
  private Optional<String> recheck(
      VerifiedCopy copy,
      String bucket,
      String key,
      TaskContext context,
      Set<String> etags,
      Instant retainedUntil,
      Set<String> retainedAsLong) {
    PoolClient other;
    try {
      other = clients.get(copy.pool(), context.cancellation());
    } catch (MoverException e) {
      return Optional.of(e.failure().reason());
    }
    StatObjectResponse head;
    try {
      head = head(other, bucket, key, context);
    } catch (MoverException e) {
      if (e.failure().kind() == FailureKind.TRANSIENT) {
        throw e;
      }
      return Optional.of(e.failure().reason());
    }
    if (head == null) {
      return Optional.of("pool " + copy.pool() + " has no copy");
    }
    String sha = StrataMetadata.get(head.userMetadata(), StrataMetadata.SHA256);
    if (head.size() != copy.size() || sha == null || !sha.equalsIgnoreCase(copy.sha256())) {
      return Optional.of(
          "pool "
              + copy.pool()
              + " holds size "
              + head.size()
              + " and SHA-256 "
              + sha
              + ", the proof says "
              + copy.size()
              + " and "
              + copy.sha256());
    }
    String copiedFrom = StrataMetadata.get(head.userMetadata(), StrataMetadata.SOURCE_ETAG);
    if (copiedFrom != null) {
      etags.add(copiedFrom);
    }
    if (retainedUntil != null && StrataMetadata.retainsUntil(head.userMetadata(), retainedUntil)) {
      retainedAsLong.add(copy.pool());
    }
    return Optional.empty();
  }

  /**
   * The local object is the one every confirmed copy was made of: same size and SHA-256 marker, or
   * (without a marker) same size and an ETag the copies record as their source.
   */
  private static boolean localMatchesCopies(
      StatObjectResponse local, List<VerifiedCopy> confirmed, Set<String> sourceEtags) {
    String sha = StrataMetadata.get(local.userMetadata(), StrataMetadata.SHA256);
    for (VerifiedCopy copy : confirmed) {
      if (local.size() != copy.size()) {
        return false;
      }
      if (sha != null
          ? !sha.equalsIgnoreCase(copy.sha256())
          : !sourceEtags.contains(PoolClient.stripQuotes(local.etag()))) {
        return false;
      }
    }
    return true;
  }

  private StatObjectResponse head(PoolClient pool, String bucket, String key, TaskContext context) {
    return retrier.call(
        pool.poolId(),
        "HEAD " + bucket + "/" + key,
        context.cancellation(),
        () -> pool.head(bucket, key));
  }
}
