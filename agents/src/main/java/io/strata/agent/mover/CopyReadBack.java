package io.strata.agent.mover;

import io.minio.StatObjectResponse;
import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reads back the copies of one copy task while the task runs, a batch of its items at a time, and
 * settles each: COPIED when the target shows it, else FAILED, for a later run to copy again.
 *
 * <p>The task's items enter in key order and are grouped into batches of {@link #BATCH} consecutive
 * items. When the last item of a batch finishes, the transfer thread that finished it reads the
 * batch back, while the other threads go on copying; the last, partial batch is read back by {@link
 * #finish}. So the copies held unproven are at most a few batches, and the read-back of all but the
 * last batch overlaps the copying.
 *
 * <p>For a range, one listing of the batch's keys reads back a thousand copies per request: each
 * must be listed with its size and the source's ETag (which a single-part source's MD5-checked
 * upload gets), and with its SHA-256 on servers that list user metadata. Copies the listing does
 * not show so, copies of keys the task names (not in key order), and batches of two copies or fewer
 * are read back by HEAD: size and marker. A task asking server-side encryption reads every copy
 * back by HEAD, since only a HEAD carries what the server reports (and an encrypting server's ETag
 * need not be the content's MD5): a copy with the right size and marker that the server does not
 * report encrypted as asked is UNENCRYPTED, kept, and not counted as copied.
 *
 * <p>{@link #enter} is called by the task's thread only; the rest is thread-safe.
 */
final class CopyReadBack {

  /** Items per batch: one listing page. */
  static final int BATCH = ShardLister.PAGE_SIZE;

  /** Copies of a batch up to which HEADs cost less than the batch's listing. */
  private static final int HEADS_BELOW_A_LISTING = 2;

  /** Consecutive items of the task, and the copies written for them. */
  static final class Batch {
    private int items;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicBoolean readBack = new AtomicBoolean();
    private final Queue<ObjectCopier.Written> written = new ConcurrentLinkedQueue<>();

    /** Where the copier adds the copies it writes for this batch's items. */
    Queue<ObjectCopier.Written> written() {
      return written;
    }
  }

  private final ShardLister lister;
  private final Retrier retrier;
  private final PoolClient target;
  private final SseRequest sse;
  private final Task task;
  private final TaskContext context;
  private final Consumer<KeyOutcome> settle;
  private final int batchSize;
  private final Queue<Batch> unread = new ConcurrentLinkedQueue<>();
  private Batch open;

  /**
   * @param settle where each copy's final outcome goes
   */
  CopyReadBack(
      ShardLister lister,
      Retrier retrier,
      PoolClient target,
      SseRequest sse,
      TaskContext context,
      Consumer<KeyOutcome> settle) {
    this(lister, retrier, target, sse, context, settle, BATCH);
  }

  CopyReadBack(
      ShardLister lister,
      Retrier retrier,
      PoolClient target,
      SseRequest sse,
      TaskContext context,
      Consumer<KeyOutcome> settle,
      int batchSize) {
    this.lister = lister;
    this.retrier = retrier;
    this.target = target;
    this.sse = sse;
    this.task = context.task();
    this.context = context;
    this.settle = settle;
    this.batchSize = batchSize;
  }

  /** Enters the next item, before it starts; returns the batch it belongs to. */
  Batch enter() {
    if (open == null || open.items == batchSize) {
      open = new Batch();
      unread.add(open);
    }
    open.items++;
    return open;
  }

  /**
   * Marks an item of {@code batch} finished, after its copy (if any) was added to the batch. The
   * item that finishes a full batch reads the batch back, on the caller's thread.
   */
  void finished(Batch batch) {
    if (batch.finished.incrementAndGet() == batchSize) {
      read(batch);
    }
  }

  /** Reads back every batch not read back yet; call once every item has finished. */
  void finish() {
    for (Batch batch : unread) {
      read(batch);
    }
  }

  private void read(Batch batch) {
    if (!batch.readBack.compareAndSet(false, true)) {
      return;
    }
    unread.remove(batch);
    Map<String, ObjectCopier.Written> unproven = new HashMap<>();
    batch.written.forEach(copy -> unproven.put(copy.key(), copy));
    if (unproven.size() > HEADS_BELOW_A_LISTING && sse == null) {
      List<String> keys = unproven.keySet().stream().sorted(KeyOrder.COMPARATOR).toList();
      ShardLister.Window window =
          lister.window(
              target,
              task.dataset(),
              task.range(),
              keys,
              keys.size() + ShardLister.PAGE_SIZE,
              context.cancellation());
      for (String key : keys) {
        ObjectCopier.Written copy = unproven.get(key);
        if (shows(window.listed().get(key), copy)) {
          unproven.remove(key);
          settle.accept(copy.outcome());
        }
      }
    }
    for (ObjectCopier.Written copy : unproven.values()) {
      settle.accept(headOutcome(copy));
    }
  }

  /** Whether {@code listed} (null when not listed) shows {@code copy}. */
  private static boolean shows(ListedObject listed, ObjectCopier.Written copy) {
    return listed != null
        && listed.size() == copy.size()
        && copy.sourceEtag().equalsIgnoreCase(listed.etag())
        && (listed.sha256() == null || copy.sha256().equalsIgnoreCase(listed.sha256()));
  }

  /** The copy's outcome by a HEAD: copied, unencrypted (when encryption was asked) or failed. */
  private KeyOutcome headOutcome(ObjectCopier.Written copy) {
    String bucket = task.dataset();
    StatObjectResponse head =
        retrier.call(
            target.poolId(),
            "HEAD " + bucket + "/" + copy.key(),
            context.cancellation(),
            () -> target.head(bucket, copy.key()));
    if (!ObjectCopier.isCopyOf(head, copy.size(), copy.sha256(), copy.sourceEtag())) {
      return failed(copy);
    }
    if (sse == null) {
      return copy.outcome();
    }
    return sse.problem(head.headers())
        .map(p -> ShardCopier.unencrypted(copy.key(), bucket, target.poolId(), sse, p))
        .orElse(copy.outcome());
  }

  private KeyOutcome failed(ObjectCopier.Written copy) {
    return KeyOutcome.because(
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
            + copy.sha256());
  }
}
