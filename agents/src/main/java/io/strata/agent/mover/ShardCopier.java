package io.strata.agent.mover;

import com.google.common.collect.Iterators;
import io.minio.StatObjectResponse;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskFailure;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code copy} task, as named steps: check the pools, abort multipart uploads a crashed run
 * left behind for the task's keys, plan from both listings (of the range, or of the keys the task
 * names), then copy what is missing or different with {@link ObjectCopier}, and read every copy
 * back ({@link CopyReadBack}) before it counts. Idempotent: a re-run copies nothing that is already
 * on the target with the right size and SHA-256.
 */
final class ShardCopier {

  private final PoolClients clients;
  private final ShardLister lister;
  private final ObjectCopier copier;
  private final Retrier retrier;
  private final Transfers transfers;
  private final MoverMetrics metrics;
  private final EncryptionStatus encryption;

  ShardCopier(
      PoolClients clients,
      ShardLister lister,
      ObjectCopier copier,
      Retrier retrier,
      Transfers transfers,
      MoverMetrics metrics,
      EncryptionStatus encryption) {
    this.encryption = encryption;
    this.clients = clients;
    this.lister = lister;
    this.copier = copier;
    this.retrier = retrier;
    this.transfers = transfers;
    this.metrics = metrics;
  }

  KeyTally copy(TaskContext context) {
    Task task = context.task();
    if (task.targetPool() == null || task.targetPool().equals(task.sourcePool())) {
      throw new MoverException(
          TaskFailure.permanent(
              "copy task " + task.id() + " needs a target pool different from its source pool"));
    }
    PoolClient source = clients.get(task.sourcePool(), context.cancellation());
    SseRequest sse = SseRequest.of(task.encryption());
    PoolClient target = encrypting(clients.get(task.targetPool(), context.cancellation()), sse);
    List<String> named = task.keys().stream().distinct().sorted(KeyOrder.COMPARATOR).toList();
    Map<String, Instant> retainUntil = retainUntil(task);
    // The target's steps overlap the source's: each is a few round trips, and a listing on a
    // server that walks its bucket for every page takes a while. Each side reads the first page of
    // its listing here; later pages are read as the copies reach them. The first request on each
    // side is a listing, so a missing bucket or refused credentials fail the task there, once,
    // with their reason: no separate check of the pools is needed. Uploads a crash left behind are
    // aborted by each multipart copy for its own key (StreamedCopy), the only way MinIO lists them.
    CompletableFuture<TargetSide> targetSide =
        transfers.start(
            () ->
                named.isEmpty()
                    ? new TargetSide(
                        firstPageRead(
                            lister.stream(
                                target, task.dataset(), task.range(), context.cancellation())),
                        null)
                    : new TargetSide(null, window(target, task, named, context)));
    Iterator<CopyPlan.Item> plan;
    try {
      plan = plan(source, task, named, context, targetSide);
    } finally {
      // Never leave the target's steps running past this method, whatever happened here.
      targetSide.exceptionally(e -> null).join();
    }
    KeyTally tally = new KeyTally();
    CopyReadBack readBack =
        new CopyReadBack(
            lister, retrier, target, sse, context, outcome -> settle(tally, task, target, outcome));
    Iterator<Entry> entries =
        Iterators.transform(
            context.progress().listing(plan),
            item -> {
              context.progress().addWork(1, sizeOf(item));
              return new Entry(item, readBack.enter());
            });
    transfers.forEach(
        entries,
        context.cancellation(),
        entry -> {
          KeyOutcome outcome =
              copyItem(
                  source,
                  target,
                  entry.item(),
                  task,
                  retainUntil.get(entry.item().source().key()),
                  context,
                  entry.batch().written());
          // A copy is settled by its read-back; every other outcome is final.
          if (outcome.status() != KeyStatus.COPIED) {
            settle(tally, task, target, outcome);
          }
          readBack.finished(entry.batch());
        });
    readBack.finish();
    judgeEncryption(task, target, tally);
    return tally;
  }

  /**
   * The retain-until of each named key's copy; a task whose dates do not match its keys is refused
   * before anything is written, rather than any copy carrying another key's date.
   */
  private static Map<String, Instant> retainUntil(Task task) {
    if (task.retainUntil() == null) {
      return Map.of();
    }
    try {
      return task.retainUntil().byKey(task.keys());
    } catch (IllegalArgumentException e) {
      throw new MoverException(
          TaskFailure.permanent("copy task " + task.id() + ": " + e.getMessage()));
    }
  }

  /** The target's listing of the range, or its window on the named keys. */
  private record TargetSide(Iterator<ListedObject> listing, ShardLister.Window window) {}

  /**
   * What a listing of {@code pool} shows of the task's {@code named} keys (in key order): it reads
   * at most a page more than there are keys, so named keys that lie together (a whole shard's
   * missing copies, as the controller names them) are planned from a page or two, and the keys of a
   * thin spread beyond its reach are read by HEAD.
   */
  private ShardLister.Window window(
      PoolClient pool, Task task, List<String> named, TaskContext context) {
    return lister.window(
        pool,
        task.dataset(),
        task.range(),
        named,
        named.size() + ShardLister.PAGE_SIZE,
        context.cancellation());
  }

  /** An item of the plan, and the batch of the read-back it belongs to. */
  private record Entry(CopyPlan.Item item, CopyReadBack.Batch batch) {}

  /**
   * The target's client writing with {@code sse}. A pool that cannot be asked it (a KMS key over
   * plain HTTP) fails the task before anything is written, and does not meet the policy.
   */
  private PoolClient encrypting(PoolClient target, SseRequest sse) {
    try {
      return target.encrypting(sse);
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() + ": copies there cannot be encrypted as the policy asks";
      encryption.unmet(target.poolId(), reason);
      throw new MoverException(TaskFailure.permanent(reason));
    }
  }

  /**
   * A copy that was already on the target, under a task asking encryption: it counts only if the
   * target reports it encrypted (a copy written before the policy asked it may not be). It is never
   * rewritten or removed here: it still holds the data.
   */
  private KeyOutcome presentEncrypted(
      PoolClient target, KeyOutcome present, Task task, TaskContext context) {
    String bucket = task.dataset();
    StatObjectResponse head =
        retrier.call(
            target.poolId(),
            "HEAD " + bucket + "/" + present.key(),
            context.cancellation(),
            () -> target.head(bucket, present.key()));
    if (head == null) {
      return KeyOutcome.because(
          present.key(),
          KeyStatus.FAILED,
          "the copy of "
              + bucket
              + "/"
              + present.key()
              + " on pool "
              + target.poolId()
              + " is gone since it was listed");
    }
    SseRequest sse = SseRequest.of(task.encryption());
    Optional<String> problem = sse.problem(head.headers());
    return problem
        .map(p -> unencrypted(present.key(), bucket, target.poolId(), sse, p))
        .orElse(present);
  }

  /** The outcome of a copy the target holds but does not report encrypted as asked. */
  static KeyOutcome unencrypted(
      String key, String bucket, String pool, SseRequest sse, String problem) {
    return KeyOutcome.because(
        key,
        KeyStatus.UNENCRYPTED,
        "the copy of "
            + bucket
            + "/"
            + key
            + " on pool "
            + pool
            + " was asked "
            + sse.asked()
            + ", and "
            + problem
            + "; the copy is kept");
  }

  /**
   * Adds a key's final outcome to the task's tally and to the agent's metrics, and for a task
   * asking encryption, whether the target met it.
   */
  private void settle(KeyTally tally, Task task, PoolClient target, KeyOutcome outcome) {
    tally.add(outcome);
    metrics.object(task.type(), target.poolId(), outcome.status());
  }

  /**
   * Whether the target met the encryption the task asked: not when any of its copies was not
   * reported encrypted (the first such key in key order gives the reason); met when some were and
   * none was not; unchanged when the task settled no copy.
   */
  private void judgeEncryption(Task task, PoolClient target, KeyTally tally) {
    if (task.encryption() == null) {
      return;
    }
    var first = tally.named().stream().filter(o -> o.status() == KeyStatus.UNENCRYPTED).findFirst();
    var counts = tally.counts();
    if (first.isPresent()) {
      encryption.unmet(target.poolId(), first.get().detail());
    } else if (counts.containsKey(KeyStatus.COPIED)
        || counts.containsKey(KeyStatus.ALREADY_PRESENT)) {
      encryption.met(target.poolId());
    }
  }

  /** {@code listing}, its first page read (the read's exception is thrown here). */
  private static Iterator<ListedObject> firstPageRead(Iterator<ListedObject> listing) {
    listing.hasNext();
    return listing;
  }

  /**
   * The items to copy: for named keys, each decided from the windows of both listings on them (see
   * {@link CopyPlan#named}); for a range, the lazy join of the two listings of it (see {@link
   * CopyPlan#join}).
   */
  private Iterator<CopyPlan.Item> plan(
      PoolClient source,
      Task task,
      List<String> named,
      TaskContext context,
      CompletableFuture<TargetSide> targetSide) {
    if (!named.isEmpty()) {
      ShardLister.Window sources = window(source, task, named, context);
      ShardLister.Window targets = Transfers.join(targetSide).window();
      return named.stream().map(key -> CopyPlan.named(key, sources, targets)).iterator();
    }
    Iterator<ListedObject> sources =
        firstPageRead(lister.stream(source, task.dataset(), task.range(), context.cancellation()));
    return CopyPlan.join(sources, Transfers.join(targetSide).listing());
  }

  private KeyOutcome copyItem(
      PoolClient source,
      PoolClient target,
      CopyPlan.Item item,
      Task task,
      Instant retainUntil,
      TaskContext context,
      Queue<ObjectCopier.Written> written) {
    String key = item.source().key();
    boolean explicit = !task.keys().isEmpty();
    KeyOutcome outcome;
    try {
      outcome = decideAndCopy(source, target, item, explicit, task, retainUntil, context, written);
      if (outcome.status() == KeyStatus.ALREADY_PRESENT && task.encryption() != null) {
        outcome = presentEncrypted(target, outcome, task, context);
      }
    } catch (MoverException e) {
      if (e.failure().kind() == FailureKind.TRANSIENT) {
        throw e;
      }
      outcome = KeyOutcome.because(key, KeyStatus.FAILED, e.failure().reason());
    }
    if (outcome.status() != KeyStatus.COPIED) {
      context.progress().addWork(0, -Math.max(0, sizeOf(item)));
    }
    context.progress().objectDone();
    return outcome;
  }

  private KeyOutcome decideAndCopy(
      PoolClient source,
      PoolClient target,
      CopyPlan.Item item,
      boolean explicit,
      Task task,
      Instant retainUntil,
      TaskContext context,
      Queue<ObjectCopier.Written> written) {
    String bucket = task.dataset();
    ListedObject s = item.source();
    if (!item.sourceListed()) {
      String key = s.key();
      StatObjectResponse head =
          retrier.call(
              source.poolId(),
              "HEAD " + bucket + "/" + key,
              context.cancellation(),
              () -> source.head(bucket, key));
      if (head == null) {
        return KeyOutcome.because(
            s.key(),
            KeyStatus.FAILED,
            "source object "
                + bucket
                + "/"
                + s.key()
                + " does not exist on pool "
                + source.poolId());
      }
      context.progress().addWork(0, head.size());
      s =
          new ListedObject(
              s.key(),
              head.size(),
              PoolClient.toInstant(head.lastModified()),
              PoolClient.stripQuotes(head.etag()),
              StrataMetadata.get(head.userMetadata(), StrataMetadata.SHA256));
    }
    // A repair overwrites a target whose content a scrub found wrong, whatever its markers say;
    // the source's content is still checked against the source's own marker on the way.
    CopyPlan.Decision decision = task.repair() ? CopyPlan.Decision.COPY : item.decision();
    switch (decision) {
      case PRESENT:
        return KeyOutcome.of(s.key(), KeyStatus.ALREADY_PRESENT, s.size(), s.sha256());
      case CHECK_TARGET:
        if (copier.alreadyCopied(
            target, bucket, s.key(), s.size(), s.sha256(), s.etag(), context)) {
          return KeyOutcome.of(s.key(), KeyStatus.ALREADY_PRESENT, s.size(), s.sha256());
        }
        break;
      case COPY:
        break;
    }
    return copier.copy(source, target, bucket, s.key(), !explicit, retainUntil, context, written);
  }

  private static long sizeOf(CopyPlan.Item item) {
    return Math.max(0, item.source().size());
  }
}
