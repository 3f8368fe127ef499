package io.strata.agent.mover;

import io.minio.GetObjectResponse;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.strata.agent.task.FailureKind;
import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.TaskFailure;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.Headers;

/**
 * Copies one object between pools and proves the copy.
 *
 * <p>The target object is written with its Strata SHA-256 in the same request that creates it (a
 * single PUT, or the initiation of a multipart upload, which completes atomically), so it is never
 * visible without the marker. Objects up to {@link MoverSettings#bufferLimit()} are read once into
 * memory, hashed in that same pass (and checked against the source's own marker when present), and
 * written in one PUT whose signed payload hash is that SHA-256: the target refuses the PUT unless
 * the bytes it received hash to the marker's value. Larger objects are streamed; their hash must be
 * known before writing, so it is taken from the source's marker or computed by a first read of the
 * source, and the stream fails before its last byte if its content turns out different, so the
 * upload never completes. Either way the copy is then read back by HEAD: size and marker must
 * match.
 *
 * <p>Idempotent: a target that already has the same size and SHA-256 (or was copied from the same
 * source ETag) is left alone. Thread-safe.
 */
final class ObjectCopier {

  /**
   * Error codes with which servers refuse a PUT whose body does not hash to its signed payload
   * hash: MinIO and AWS say so; S3Proxy folds the hash into the signature, so a wrong body reads as
   * a wrong signature there (keys that are really wrong fail the task's first listing instead).
   */
  private static final Set<String> REJECTED_PAYLOAD_CODES =
      Set.of("XAmzContentSHA256Mismatch", "BadDigest", "SignatureDoesNotMatch");

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

  /** What the GET response says about the source object. */
  private record SourceObject(
      String bucket,
      String key,
      long size,
      String etag,
      String contentType,
      Map<String, String> userMetadata,
      String declaredSha256) {

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
          declared == null ? null : declared.toLowerCase(Locale.ROOT));
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
      TaskContext context)
      throws Exception {
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
      SourceObject object = SourceObject.of(bucket, key, in.headers());
      return object.size() <= settings.bufferLimit()
          ? copyBuffered(in, object, source, target, context)
          : copyStreamed(in, object, source, target, context);
    }
  }

  /**
   * Copies an object of up to {@link MoverSettings#bufferLimit()} bytes through memory: its SHA-256
   * is computed in the one pass that reads it (and checked against the source's marker when
   * present), and the PUT carries that SHA-256 as its signed payload hash, so the target checks the
   * bytes it stores against the very hash written into the marker (see {@link PoolClient#put}).
   */
  private KeyOutcome copyBuffered(
      InputStream in,
      SourceObject object,
      PoolClient source,
      PoolClient target,
      TaskContext context)
      throws Exception {
    String[] pools = {source.poolId(), target.poolId()};
    HashingInputStream body =
        HashingInputStream.verifying(
            metered(in, context, target.poolId(), true, pools),
            object.size(),
            object.declaredSha256(),
            object.mismatchKind());
    byte[] content = new byte[Math.toIntExact(object.size())];
    body.readNBytes(content, 0, content.length);
    if (body.read() >= 0) {
      throw new IllegalStateException("a verifying stream never reads past its size");
    }
    String sha256 = body.sha256();
    Map<String, String> userMetadata = markers(object, sha256);
    try {
      target.put(
          object.bucket(), object.key(), content, sha256, object.contentType(), userMetadata);
    } catch (ErrorResponseException e) {
      if (REJECTED_PAYLOAD_CODES.contains(e.errorResponse().code())) {
        throw new ContentMismatchException(
            "pool "
                + target.poolId()
                + " refused the upload of "
                + object.bucket()
                + "/"
                + object.key()
                + " ("
                + e.errorResponse().code()
                + "): the body it received does not hash to SHA-256 "
                + sha256,
            FailureKind.TRANSIENT,
            e);
      }
      throw e;
    }
    return readBack(target, object, sha256);
  }

  /**
   * Copies a larger object as a stream (multipart above the part size), never holding it whole. The
   * SHA-256 must be known before the first request, so it is the source's marker when present, or
   * else computed by a first read of the source; the stream that feeds the upload fails before its
   * last byte unless its content has that SHA-256, so a wrong upload never completes.
   */
  private KeyOutcome copyStreamed(
      GetObjectResponse in,
      SourceObject object,
      PoolClient source,
      PoolClient target,
      TaskContext context)
      throws Exception {
    String[] pools = {source.poolId(), target.poolId()};
    String sha256 = object.declaredSha256();
    if (sha256 == null) {
      sha256 = HashingInputStream.hashing(metered(in, context, null, false, pools)).drain();
      in.close();
      in = source.open(object.bucket(), object.key(), object.etag());
    }
    try (InputStream second = in) {
      target.write(
          object.bucket(),
          object.key(),
          HashingInputStream.verifying(
              metered(in, context, target.poolId(), true, pools),
              object.size(),
              sha256,
              object.mismatchKind()),
          object.size(),
          settings.partSize(),
          object.contentType(),
          markers(object, sha256));
    }
    return readBack(target, object, sha256);
  }

  /** The source's user metadata plus the markers a copy carries. */
  private static Map<String, String> markers(SourceObject object, String sha256) {
    Map<String, String> userMetadata = new LinkedHashMap<>(object.userMetadata());
    userMetadata.put(StrataMetadata.SHA256, sha256);
    userMetadata.put(StrataMetadata.SOURCE_ETAG, object.etag());
    return userMetadata;
  }

  /** HEADs the copy: it must show the size and the SHA-256 marker that were written. */
  private static KeyOutcome readBack(PoolClient target, SourceObject object, String sha256)
      throws Exception {
    StatObjectResponse written = target.head(object.bucket(), object.key());
    if (!isCopyOf(written, object.size(), sha256, object.etag())) {
      throw new ContentMismatchException(
          "read-back of the copy on pool "
              + target.poolId()
              + " does not show size "
              + object.size()
              + " and SHA-256 "
              + sha256,
          FailureKind.TRANSIENT);
    }
    return KeyOutcome.of(object.key(), KeyStatus.COPIED, object.size(), sha256);
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
