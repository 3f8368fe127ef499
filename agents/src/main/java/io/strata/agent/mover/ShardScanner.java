package io.strata.agent.mover;

import io.minio.StatObjectResponse;
import io.strata.agent.dicom.DicomClassifier;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.ScanSummary;
import io.strata.protocol.task.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * <p>A scan that returns its listing (for a key-by-key diff by the reconciler) also returns each
 * object's user metadata and SHA-256 marker, which policies need for age and the controller for
 * verified copies; where the listing did not carry them it pays one HEAD per object, once per
 * version of the object ({@link HeadCache}): a shard scanned again HEADs only what changed.
 *
 * <p>A scan asked for DICOM headers ({@link Task#dicomHeaders()}) also classifies each listed
 * object by its header ({@link DicomClassifier}: a ranged GET of its first bytes, once per
 * version).
 *
 * <p>Those HEADs and header reads run concurrently on the agent's transfer threads ({@link
 * Transfers}, at most its window of them at once per scan) while the scan's own thread lists the
 * next page: each is a round trip of a few milliseconds for a few hundred bytes, so a scan that
 * read them one after another was bound by the pool's latency, not by its bandwidth or the agent's
 * CPU. The listing keeps the pool's order.
 *
 * <p>Read-only, so trivially idempotent.
 */
final class ShardScanner {

  private final PoolClients clients;
  private final ShardLister lister;
  private final HeadCache heads = new HeadCache();
  private final DicomClassifier dicom;
  private final Transfers transfers;

  ShardScanner(
      PoolClients clients, ShardLister lister, DicomClassifier dicom, Transfers transfers) {
    this.clients = clients;
    this.lister = lister;
    this.dicom = dicom;
    this.transfers = transfers;
  }

  /** One object of a returned listing; filled in by a transfer thread. */
  private static final class Entry {
    final ListedObject listed;
    volatile ListedObject completed;

    Entry(ListedObject listed) {
      this.listed = listed;
    }
  }

  ScanSummary scan(TaskContext context) {
    Task task = context.task();
    PoolClient pool = clients.get(task.sourcePool(), context.cancellation());
    ScanDigest digest = new ScanDigest();
    context.progress().listing();
    Iterator<ListedObject> objects =
        lister.stream(pool, task.dataset(), task.range(), context.cancellation());
    List<ListedObject> listing = new ArrayList<>();
    if (!task.includeListing()) {
      objects.forEachRemaining(object -> count(context, digest, object));
    } else {
      List<Entry> entries = new ArrayList<>();
      Iterator<Entry> listed =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return objects.hasNext();
            }

            @Override
            public Entry next() {
              ListedObject object = objects.next();
              count(context, digest, object);
              Entry entry = new Entry(object);
              entries.add(entry);
              return entry;
            }
          };
      // The first failed read fails the scan, once the reads already running have finished.
      transfers.forEach(
          listed,
          context.cancellation(),
          entry -> {
            ListedObject withMetadata =
                withMetadata(pool, task.sourcePool(), task.dataset(), entry.listed);
            entry.completed =
                task.dicomHeaders() ? withDicom(pool, task, withMetadata) : withMetadata;
          });
      entries.forEach(entry -> listing.add(entry.completed));
    }
    context.progress().listed();
    return summary(digest, listing);
  }

  private static void count(TaskContext context, ScanDigest digest, ListedObject object) {
    digest.add(object);
    context.progress().addWork(1, object.size());
    context.progress().objectDone();
    context.progress().bytesDone(object.size());
  }

  private ListedObject withMetadata(
      PoolClient pool, String poolId, String bucket, ListedObject object) {
    if (!object.metadata().isEmpty()) {
      return object;
    }
    ListedObject known = heads.withMetadata(poolId, bucket, object);
    if (known != null) {
      return known;
    }
    ListedObject headed = head(pool, bucket, object);
    if (headed != object) { // It was there to HEAD.
      heads.put(poolId, bucket, headed);
    }
    return headed;
  }

  private ListedObject withDicom(PoolClient pool, Task task, ListedObject object) {
    try {
      return dicom.classify(
          task.sourcePool(),
          task.dataset(),
          object,
          length -> {
            byte[] prefix = pool.readPrefix(task.dataset(), object.key(), length);
            if (prefix == null) {
              throw new GoneException();
            }
            return prefix;
          });
    } catch (GoneException e) {
      return object; // Deleted since it was listed: nothing to classify.
    } catch (Exception e) {
      throw new IllegalStateException(
          "reading the DICOM header of " + object.key() + " failed: " + e.getMessage(), e);
    }
  }

  /** The object went between its listing and the read of its header. */
  private static final class GoneException extends Exception {
    GoneException() {
      super(null, null, false, false);
    }
  }

  private static ListedObject head(PoolClient pool, String bucket, ListedObject object) {
    try {
      StatObjectResponse head = pool.head(bucket, object.key());
      if (head == null) {
        return object;
      }
      Map<String, String> metadata = new HashMap<>();
      head.userMetadata().forEach((k, v) -> metadata.put(k.toLowerCase(Locale.ROOT), v));
      String sha256 =
          object.sha256() != null
              ? object.sha256()
              : StrataMetadata.get(head.userMetadata(), StrataMetadata.SHA256);
      return new ListedObject(
          object.key(), object.size(), object.lastModified(), object.etag(), sha256, metadata);
    } catch (Exception e) {
      throw new IllegalStateException("HEAD of " + object.key() + " failed: " + e.getMessage(), e);
    }
  }

  private static ScanSummary summary(ScanDigest digest, List<ListedObject> listing) {
    return new ScanSummary(
        digest.objects(),
        digest.bytes(),
        digest.oldest(),
        digest.newest(),
        digest.digest(),
        listing);
  }
}
