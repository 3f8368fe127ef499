package io.strata.agent.mover;

import io.minio.GetObjectResponse;
import io.minio.StatObjectResponse;
import io.strata.agent.task.FailureKind;
import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.TaskFailure;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import okhttp3.Headers;

/**
 * Copies one object between pools and proves the copy.
 *
 * <p>The target object is written with its Strata SHA-256 in the same request that creates it (a
 * single PUT, or the initiation of a multipart upload, which completes atomically), so it is never
 * visible without the marker. The hash must therefore be known before writing: it is taken from the
 * source's own marker when present (and re-checked while streaming), computed in memory for objects
 * up to {@link MoverSettings#bufferLimit()}, or computed by a first read of the source for larger
 * objects. A stream whose content turns out different fails before its last byte, so the upload
 * never completes. The copy is then read back by HEAD: size and marker must match.
 *
 * <p>Idempotent: a target that already has the same size and SHA-256 (or was copied from the same
 * source ETag) is left alone. Thread-safe.
 */
final class ObjectCopier {

  private final Retrier retrier;
  private final Bandwidth bandwidth;
  private final MoverMetrics metrics;
  private final MoverSettings settings;

  ObjectCopier(Retrier retrier, Bandwidth bandwidth, MoverMetrics metrics, MoverSettings settings) {
    this.retrier = retrier;
    this.bandwidth = bandwidth;
    this.metrics = metrics;
    this.settings = settings;
  }

  /**
   * Whether the target already holds a verified copy of a source object with {@code size}, {@code
   * sourceSha256} (nullable) and {@code sourceEtag}.
   */
  static boolean isCopyOf(
      StatObjectResponse target, long size, String sourceSha256, String sourceEtag) {
    if (target == null || target.size() != size) {
      return false;
    }
    String targetSha = StrataMetadata.get(target.userMetadata(), StrataMetadata.SHA256);
    if (targetSha == null) {
      return false;
    }
    if (sourceSha256 != null) {
      return sourceSha256.equalsIgnoreCase(targetSha);
    }
    String copiedFrom = StrataMetadata.get(target.userMetadata(), StrataMetadata.SOURCE_ETAG);
    return copiedFrom != null && copiedFrom.equals(sourceEtag);
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
   * @return COPIED or SOURCE_GONE
   * @throws MoverException for failures (after retries)
   */
  KeyOutcome copy(
      PoolClient source,
      PoolClient target,
      String bucket,
      String key,
      boolean sourceMayVanish,
      TaskContext context) {
    return retrier.call(
        source.poolId(),
        "COPY " + bucket + "/" + key + " to pool " + target.poolId(),
        context.cancellation(),
        () -> copyOnce(source, target, bucket, key, sourceMayVanish, context));
  }

  private KeyOutcome copyOnce(
      PoolClient source,
      PoolClient target,
      String bucket,
      String key,
      boolean sourceMayVanish,
      TaskContext context)
      throws Exception {
    String[] pools = {source.poolId(), target.poolId()};
    GetObjectResponse in;
    try {
      in = source.open(bucket, key, null);
    } catch (Exception e) {
      if (S3Errors.isNotFound(e)) {
        if (sourceMayVanish) {
          return KeyOutcome.because(key, KeyStatus.SOURCE_GONE, "source object was deleted");
        }
        throw new MoverException(
            TaskFailure.permanent(
                "source object "
                    + bucket
                    + "/"
                    + key
                    + " does not exist on pool "
                    + source.poolId()));
      }
      throw e;
    }
    try (InputStream closeMe = in) {
      Headers headers = in.headers();
      long size = Long.parseLong(headers.get("Content-Length"));
      String etag = PoolClient.stripQuotes(headers.get("ETag"));
      String contentType = headers.get("Content-Type");
      Map<String, String> userMetadata = userMetadata(headers);
      String declared = userMetadata.get(StrataMetadata.SHA256);

      InputStream body;
      String sha256;
      FailureKind mismatch;
      if (declared != null) {
        sha256 = declared.toLowerCase(Locale.ROOT);
        body = metered(in, context, target.poolId(), true, pools);
        mismatch = FailureKind.PERMANENT;
      } else if (size <= settings.bufferLimit()) {
        byte[] bytes = metered(in, context, target.poolId(), true, pools).readAllBytes();
        sha256 = HashingInputStream.hashing(new ByteArrayInputStream(bytes)).drain();
        body = new ByteArrayInputStream(bytes);
        mismatch = FailureKind.TRANSIENT;
      } else {
        sha256 = HashingInputStream.hashing(metered(in, context, null, false, pools)).drain();
        in.close();
        in = source.open(bucket, key, etag);
        body = metered(in, context, target.poolId(), true, pools);
        mismatch = FailureKind.TRANSIENT;
      }
      userMetadata.put(StrataMetadata.SHA256, sha256);
      userMetadata.put(StrataMetadata.SOURCE_ETAG, etag);
      try (InputStream second = in) {
        target.write(
            bucket,
            key,
            HashingInputStream.verifying(body, size, sha256, mismatch),
            size,
            settings.partSize(),
            contentType,
            userMetadata);
      }
      StatObjectResponse written = target.head(bucket, key);
      if (!isCopyOf(written, size, sha256, etag)) {
        throw new ContentMismatchException(
            "read-back of the copy on pool "
                + target.poolId()
                + " does not show size "
                + size
                + " and SHA-256 "
                + sha256,
            FailureKind.TRANSIENT);
      }
      return KeyOutcome.of(key, KeyStatus.COPIED, size, sha256);
    }
  }

  private InputStream metered(
      InputStream in, TaskContext context, String pool, boolean counted, String[] pools) {
    return new MeteredInputStream(
        in,
        bandwidth,
        context.cancellation(),
        counted
            ? n -> {
              context.progress().bytesDone(n);
              metrics.bytes(context.task().type(), pool, n);
            }
            : n -> {},
        pools);
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
