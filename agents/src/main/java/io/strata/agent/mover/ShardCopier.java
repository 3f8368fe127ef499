package io.strata.agent.mover;

import com.google.common.collect.Iterators;
import io.minio.StatObjectResponse;
import io.minio.messages.Upload;
import io.strata.agent.task.FailureKind;
import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.ListedObject;
import io.strata.agent.task.Task;
import io.strata.agent.task.TaskFailure;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@code copy} task, as named steps: check the pools, abort multipart uploads a crashed run
 * left behind for the task's keys, plan from both listings (or the explicit keys), then copy what
 * is missing or different with {@link ObjectCopier}. Idempotent: a re-run copies nothing that is
 * already on the target with the right size and SHA-256.
 */
final class ShardCopier {

  private final PoolClients clients;
  private final ShardLister lister;
  private final ObjectCopier copier;
  private final Retrier retrier;
  private final Transfers transfers;
  private final MoverMetrics metrics;

  ShardCopier(
      PoolClients clients,
      ShardLister lister,
      ObjectCopier copier,
      Retrier retrier,
      Transfers transfers,
      MoverMetrics metrics) {
    this.clients = clients;
    this.lister = lister;
    this.copier = copier;
    this.retrier = retrier;
    this.transfers = transfers;
    this.metrics = metrics;
  }

  List<KeyOutcome> copy(TaskContext context) {
    Task task = context.task();
    if (task.targetPool() == null || task.targetPool().equals(task.sourcePool())) {
      throw new MoverException(
          TaskFailure.permanent(
              "copy task " + task.id() + " needs a target pool different from its source pool"));
    }
    PoolClient source = clients.get(task.sourcePool());
    PoolClient target = clients.get(task.targetPool());
    // The target's steps overlap the source's: each is a few round trips, and a listing on a
    // server that walks its bucket for every page takes a while. Each side reads the first page of
    // its listing here; later pages are read as the copies reach them.
    CompletableFuture<Iterator<ListedObject>> targetSide =
        transfers.start(
            () -> {
              Preflight.check(retrier, target, task.dataset(), context);
              abortStaleUploads(target, task, context);
              return task.keys().isEmpty()
                  ? firstPageRead(
                      lister.stream(target, task.dataset(), task.range(), context.cancellation()))
                  : Collections.emptyIterator();
            });
    Iterator<CopyPlan.Item> plan;
    try {
      Preflight.check(retrier, source, task.dataset(), context);
      plan = plan(source, task, context, targetSide);
    } finally {
      // Never leave the target's steps running past this method, whatever happened here.
      targetSide.exceptionally(e -> null).join();
    }
    Iterator<CopyPlan.Item> counted =
        Iterators.transform(
            plan,
            item -> {
              context.progress().addWork(1, sizeOf(item));
              return item;
            });
    Queue<ObjectCopier.Written> written = new ConcurrentLinkedQueue<>();
    List<KeyOutcome> outcomes =
        transfers.map(
            counted,
            context.cancellation(),
            item -> copyItem(source, target, item, task, context, written));
    List<KeyOutcome> proven = readBack(target, task, context, List.copyOf(written), outcomes);
    // Counted once read back, so a copy that failed its read-back counts as failed, not copied.
    proven.forEach(outcome -> metrics.object(task.type(), target.poolId(), outcome.status()));
    return proven;
  }

  /** {@code listing}, its first page read (the read's exception is thrown here). */
  private static Iterator<ListedObject> firstPageRead(Iterator<ListedObject> listing) {
    listing.hasNext();
    return listing;
  }

  /**
   * Reads back the copies {@code written} in this run, and fails the keys of those that do not read
   * back, for a later run to copy again. For a range, one listing of it reads back a thousand
   * copies per request: each must be listed with its size and the source's ETag (which a
   * single-part source's MD5-checked upload gets), and with its SHA-256 on servers that list user
   * metadata. Copies the listing does not show so, copies of keys the task names, and copies fewer
   * than the listing's pages (a few new objects in a large shard) are read back by HEAD: size and
   * marker.
   *
   * @param outcomes the outcome of every item of the task, copied or not
   */
  List<KeyOutcome> readBack(
      PoolClient target,
      Task task,
      TaskContext context,
      List<ObjectCopier.Written> written,
      List<KeyOutcome> outcomes) {
    if (written.isEmpty()) {
      return outcomes;
    }
    Map<String, ObjectCopier.Written> unproven = new HashMap<>();
    written.forEach(copy -> unproven.put(copy.key(), copy));
    if (task.keys().isEmpty() && written.size() > outcomes.size() / ShardLister.PAGE_SIZE + 1) {
      lister.list(
          target,
          task.dataset(),
          task.range(),
          context.cancellation(),
          object -> {
            if (shows(object, unproven.get(object.key()))) {
              unproven.remove(object.key());
            }
          });
    }
    Map<String, KeyOutcome> corrected = new HashMap<>();
    for (ObjectCopier.Written copy : unproven.values()) {
      if (!headShows(target, task, context, copy)) {
        corrected.put(
            copy.key(),
            KeyOutcome.because(
                copy.key(),
                KeyStatus.FAILED,
                "read-back of the copy of "
                    + task.dataset()
                    + "/"
                    + copy.key()
                    + " on pool "
                    + target.poolId()
                    + " does not show size "
                    + copy.size()
                    + " and SHA-256 "
                    + copy.sha256()));
      }
    }
    if (corrected.isEmpty()) {
      return outcomes;
    }
    return outcomes.stream().map(o -> corrected.getOrDefault(o.key(), o)).toList();
  }

  /** Whether {@code listed} shows {@code copy} (null when this run did not write the key). */
  private static boolean shows(ListedObject listed, ObjectCopier.Written copy) {
    return copy != null
        && listed.size() == copy.size()
        && copy.sourceEtag().equalsIgnoreCase(listed.etag())
        && (listed.sha256() == null || copy.sha256().equalsIgnoreCase(listed.sha256()));
  }

  private boolean headShows(
      PoolClient target, Task task, TaskContext context, ObjectCopier.Written copy) {
    String bucket = task.dataset();
    StatObjectResponse head =
        retrier.call(
            target.poolId(),
            "HEAD " + bucket + "/" + copy.key(),
            context.cancellation(),
            () -> target.head(bucket, copy.key()));
    return ObjectCopier.isCopyOf(head, copy.size(), copy.sha256(), copy.sourceEtag());
  }

  /**
   * The items to copy: the named keys, each to be checked on the target, or the lazy join of the
   * two listings of the range (see {@link CopyPlan#join}).
   */
  private Iterator<CopyPlan.Item> plan(
      PoolClient source,
      Task task,
      TaskContext context,
      CompletableFuture<Iterator<ListedObject>> targetListing) {
    if (!task.keys().isEmpty()) {
      Transfers.join(targetListing);
      return task.keys().stream()
          .map(
              key ->
                  new CopyPlan.Item(
                      new ListedObject(key, -1, null, null, null),
                      null,
                      CopyPlan.Decision.CHECK_TARGET))
          .iterator();
    }
    Iterator<ListedObject> sources =
        firstPageRead(lister.stream(source, task.dataset(), task.range(), context.cancellation()));
    return CopyPlan.join(sources, Transfers.join(targetListing));
  }

  private KeyOutcome copyItem(
      PoolClient source,
      PoolClient target,
      CopyPlan.Item item,
      Task task,
      TaskContext context,
      Queue<ObjectCopier.Written> written) {
    String key = item.source().key();
    boolean explicit = !task.keys().isEmpty();
    KeyOutcome outcome;
    try {
      outcome = decideAndCopy(source, target, item, explicit, task, context, written);
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
      TaskContext context,
      Queue<ObjectCopier.Written> written) {
    String bucket = task.dataset();
    ListedObject s = item.source();
    if (explicit) {
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
    switch (item.decision()) {
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
    return copier.copy(source, target, bucket, s.key(), !explicit, context, written);
  }

  /**
   * Aborts incomplete multipart uploads for the task's keys on the target: after a crash they hold
   * parts nobody will complete. Completed objects are never affected.
   */
  private void abortStaleUploads(PoolClient target, Task task, TaskContext context) {
    String bucket = task.dataset();
    Set<String> keys = new HashSet<>(task.keys());
    List<Upload> uploads =
        retrier.call(
            target.poolId(),
            "LIST UPLOADS " + bucket,
            context.cancellation(),
            () -> target.incompleteUploads(bucket));
    for (Upload upload : uploads) {
      String key = upload.objectName();
      boolean ours = keys.isEmpty() ? task.range().contains(key) : keys.contains(key);
      if (ours) {
        retrier.call(
            target.poolId(),
            "ABORT UPLOAD " + bucket + "/" + key,
            context.cancellation(),
            () -> {
              abortIgnoringMissing(target, bucket, key, upload.uploadId());
              return null;
            });
      }
    }
  }

  private static void abortIgnoringMissing(
      PoolClient target, String bucket, String key, String uploadId) throws Exception {
    try {
      target.abortUpload(bucket, key, uploadId);
    } catch (io.minio.errors.ErrorResponseException e) {
      if (!"NoSuchUpload".equals(e.errorResponse().code())) {
        throw e;
      }
    }
  }

  private static long sizeOf(CopyPlan.Item item) {
    return Math.max(0, item.source().size());
  }
}
