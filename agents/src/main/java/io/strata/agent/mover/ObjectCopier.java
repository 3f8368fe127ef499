package io.strata.agent.mover;

import io.minio.StatObjectResponse;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.TaskFailure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import okhttp3.Headers;
import okhttp3.Response;

/**
 * Copies one object between pools and proves the copy.
 *
 * <p>The target object is written with its Strata SHA-256 in the same request that creates it (a
 * single PUT, or the initiation of a multipart upload, which completes atomically), so it is never
 * visible without the marker. Objects up to {@link MoverSettings#bufferLimit()} go through memory
 * in one PUT that the target checks ({@link BufferedCopy}); larger ones are streamed, their hash
 * known before writing ({@link StreamedCopy}).
 *
 * <p>A copy is only written here; the caller reads it back (see {@link Written}) before it reports
 * it as copied.
 *
 * <p>Idempotent: a target that already has the same size and SHA-256 (or was copied from the same
 * source ETag) is left alone. Thread-safe.
 */
final class ObjectCopier {

  /**
   * A copy as written, which the caller must read back: the target must show its size and marker
   * (or, in a listing, its size and the source's ETag) before it counts as copied.
   */
  record Written(String key, long size, String sourceEtag, String sha256) {

    /** The key's outcome once the copy has been read back. */
    KeyOutcome outcome() {
      return KeyOutcome.of(key, KeyStatus.COPIED, size, sha256);
    }
  }

  private final Retrier retrier;
  private final MoverSettings settings;
  private final BufferedCopy buffered;
  private final StreamedCopy streamed;

  ObjectCopier(Retrier retrier, Bandwidth bandwidth, MoverMetrics metrics, MoverSettings settings) {
    this.retrier = retrier;
    this.settings = settings;
    TransferMeter meter = new TransferMeter(bandwidth, metrics);
    this.buffered = new BufferedCopy(meter);
    this.streamed = new StreamedCopy(retrier, meter, settings);
  }

  /**
   * Whether the target already holds a verified copy of a source object with {@code size}, {@code
   * sourceSha256} (nullable) and {@code sourceEtag}: the target carries a SHA-256 marker (equal to
   * the source's when it has one) and it was copied from an object with the source's ETag, or has
   * that ETag itself (the same MD5 of the content). The ETag is asked for even when the markers
   * agree, because a source rewritten by a tool that carried its metadata along keeps an old
   * marker.
   */
  static boolean isCopyOf(
      StatObjectResponse target, long size, String sourceSha256, String sourceEtag) {
    if (target == null || target.size() != size) {
      return false;
    }
    String targetSha = StrataMetadata.get(target.userMetadata(), StrataMetadata.SHA256);
    if (targetSha == null || sourceSha256 != null && !sourceSha256.equalsIgnoreCase(targetSha)) {
      return false;
    }
    String copiedFrom = StrataMetadata.get(target.userMetadata(), StrataMetadata.SOURCE_ETAG);
    return sourceEtag != null
        && (sourceEtag.equals(copiedFrom)
            || sourceEtag.equals(PoolClient.stripQuotes(target.etag())));
  }

  /** HEADs the target and says whether it already holds this source object. */
  boolean alreadyCopied(
      PoolClient target,
      String bucket,
      String key,
      long size,
      String sourceSha256,
      String sourceEtag,
      TaskContext context) {
    StatObjectResponse head =
        retrier.call(
            target.poolId(),
            "HEAD " + bucket + "/" + key,
            context.cancellation(),
            () -> target.head(bucket, key));
    return isCopyOf(head, size, sourceSha256, sourceEtag);
  }

  /**
   * Copies {@code key}, retrying transient errors from the start of the object.
   *
   * @param sourceMayVanish whether a source deleted since listing is fine (SOURCE_GONE) rather than
   *     a permanent failure (for keys the task named explicitly)
   * @param retainUntil the retain-until the copy carries ({@link StrataMetadata#RETAIN_UNTIL}) in
   *     place of the source's; null to carry the source's, if any
   * @param written where each copy is added, for the caller to read back
   * @return COPIED (once read back) or SOURCE_GONE
   * @throws MoverException for failures (after retries)
   */
  KeyOutcome copy(
      PoolClient source,
      PoolClient target,
      String bucket,
      String key,
      boolean sourceMayVanish,
      Instant retainUntil,
      TaskContext context,
      Queue<Written> written) {
    return retrier.call(
        source.poolId(),
        "COPY " + bucket + "/" + key + " to pool " + target.poolId(),
        context.cancellation(),
        () ->
            copyOnce(source, target, bucket, key, sourceMayVanish, retainUntil, context, written));
  }

  /**
   * What the GET response says about the source object, and the retain-until its copy carries (null
   * for none).
   */
  record SourceObject(
      String bucket,
      String key,
      long size,
      String etag,
      String contentType,
      Map<String, String> userMetadata,
      String declaredSha256,
      boolean encrypted,
      Instant retainUntil) {

    static SourceObject of(String bucket, String key, Headers headers) {
      Map<String, String> userMetadata = ObjectCopier.userMetadata(headers);
      String declared = userMetadata.get(StrataMetadata.SHA256);
      return new SourceObject(
          bucket,
          key,
          Long.parseLong(headers.get("Content-Length")),
          PoolClient.stripQuotes(headers.get("ETag")),
          headers.get("Content-Type"),
          userMetadata,
          declared == null ? null : declared.toLowerCase(Locale.ROOT),
          headers.get("x-amz-server-side-encryption") != null
              || headers.get("x-amz-server-side-encryption-customer-algorithm") != null,
          null);
    }

    /** This source, its copy retained until {@code until} (null for none). */
    SourceObject retainedUntil(Instant until) {
      return new SourceObject(
          bucket, key, size, etag, contentType, userMetadata, declaredSha256, encrypted, until);
    }

    /**
     * The source's user metadata plus the markers its copy carries. A retain-until the task gives
     * replaces an earlier one of the source's: the source's said how long the phase it was written
     * for needed it, and the copy is written for the phase it is in now. A later one of the
     * source's stays (a hospital's own marker, or a copy of a later phase recalled): a copy never
     * shortens the retention it was made from, as a lock is never shortened, and the source's
     * retention can then pass on to its copies when it goes. Without a date (a key whose retention
     * is not known, a copy of a whole range) the source's markers are carried as they are, and a
     * legal-hold marker always is.
     */
    Map<String, String> markers(String sha256) {
      Map<String, String> markers = new LinkedHashMap<>(userMetadata);
      markers.put(StrataMetadata.SHA256, sha256);
      markers.put(StrataMetadata.SOURCE_ETAG, etag);
      if (retainUntil != null && !StrataMetadata.retainsUntil(userMetadata, retainUntil)) {
        markers.keySet().removeIf(k -> k.equalsIgnoreCase(StrataMetadata.RETAIN_UNTIL));
        markers.put(StrataMetadata.RETAIN_UNTIL, StrataMetadata.retainUntil(retainUntil));
      }
      return markers;
    }

    /** A source whose content contradicts its own marker is wrong, and stays wrong on retry. */
    FailureKind mismatchKind() {
      return declaredSha256 != null ? FailureKind.PERMANENT : FailureKind.TRANSIENT;
    }
  }

  private KeyOutcome copyOnce(
      PoolClient source,
      PoolClient target,
      String bucket,
      String key,
      boolean sourceMayVanish,
      Instant retainUntil,
      TaskContext context,
      Queue<Written> written)
      throws Exception {
    Response in;
    try {
      in = source.get(bucket, key);
    } catch (Exception e) {
      if (S3Errors.isNotFound(e)) {
        return gone(source, bucket, key, sourceMayVanish);
      }
      throw e;
    }
    try (Response closeMe = in) {
      SourceObject object = SourceObject.of(bucket, key, in.headers()).retainedUntil(retainUntil);
      if (object.size() <= settings.bufferLimit()) {
        return written(
            written, object, buffered.copy(in.body().source(), object, source, target, context));
      }
      try {
        return written(
            written,
            object,
            streamed.copy(in.body().byteStream(), object, source, target, context));
      } catch (Exception e) {
        // A large object may be read twice (to hash, then to copy); it can go in between. No
        // other request of the copy answers NoSuchKey: the target's buckets and uploads have
        // errors of their own.
        if (S3Errors.isNotFound(e)) {
          return gone(source, bucket, key, sourceMayVanish);
        }
        throw e;
      }
    }
  }

  /** A source deleted since it was listed: fine for a range, a failure for a named key. */
  private static KeyOutcome gone(
      PoolClient source, String bucket, String key, boolean sourceMayVanish) {
    if (sourceMayVanish) {
      return KeyOutcome.because(key, KeyStatus.SOURCE_GONE, "source object was deleted");
    }
    throw new MoverException(
        TaskFailure.permanent(
            "source object " + bucket + "/" + key + " does not exist on pool " + source.poolId()));
  }

  /** Queues the copy of {@code object} for reading back; returns its outcome once read back. */
  private static KeyOutcome written(Queue<Written> written, SourceObject object, String sha256) {
    Written copy = new Written(object.key(), object.size(), object.etag(), sha256);
    written.add(copy);
    return copy.outcome();
  }

  /** The user metadata of a response, keys lowercased and without the header prefix. */
  static Map<String, String> userMetadata(Headers headers) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String name : headers.names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(StrataMetadata.HEADER_PREFIX)) {
        metadata.put(lower.substring(StrataMetadata.HEADER_PREFIX.length()), headers.get(name));
      }
    }
    return metadata;
  }
}
