package io.strata.agent.mover;

import io.minio.GetObjectResponse;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Upload;
import io.strata.agent.task.FailureKind;
import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.TaskFailure;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import okhttp3.Headers;

/**
 * Copies one object between pools and proves the copy.
 *
 * <p>The target object is written with its Strata SHA-256 in the same request that creates it (a
 * single PUT, or the initiation of a multipart upload, which completes atomically), so it is never
 * visible without the marker. Objects up to {@link MoverSettings#bufferLimit()} are read once into
 * memory, hashed in that same pass (and checked against the source's own marker when present), and
 * written in one PUT that the target checks before storing it: against the source's ETag as
 * Content-MD5 when that ETag is an MD5, which ties the stored bytes to the source's own checksum at
 * no extra cost to either side; else against the SHA-256 as the signed payload hash. Larger objects
 * are streamed; their hash must be known before writing, so it is taken from the source's marker or
 * computed by a first read of the source, and the stream fails before its last byte if its content
 * turns out different, so the upload never completes.
 *
 * <p>A copy is only written here; the caller reads it back (see {@link Written}) before it reports
 * it as copied.
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

  /** Error codes with which servers refuse a body that does not match its Content-MD5. */
  private static final Set<String> REJECTED_MD5_CODES = Set.of("BadDigest", "InvalidDigest");

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
      TaskContext context,
      Queue<Written> written) {
    return retrier.call(
        source.poolId(),
        "COPY " + bucket + "/" + key + " to pool " + target.poolId(),
        context.cancellation(),
        () -> copyOnce(source, target, bucket, key, sourceMayVanish, context, written));
  }

  /** What the GET response says about the source object. */
  private record SourceObject(
      String bucket,
      String key,
      long size,
      String etag,
      String contentType,
      Map<String, String> userMetadata,
      String declaredSha256,
      boolean encrypted) {

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
              || headers.get("x-amz-server-side-encryption-customer-algorithm") != null);
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
      TaskContext context,
      Queue<Written> written)
      throws Exception {
    GetObjectResponse in;
    try {
      in = source.open(bucket, key, null);
    } catch (Exception e) {
      if (S3Errors.isNotFound(e)) {
        return gone(source, bucket, key, sourceMayVanish);
      }
      throw e;
    }
    try (InputStream closeMe = in) {
      SourceObject object = SourceObject.of(bucket, key, in.headers());
      if (object.size() <= settings.bufferLimit()) {
        return copyBuffered(in, object, source, target, context, written);
      }
      try {
        return copyStreamed(in, object, source, target, context, written);
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

  /**
   * Copies an object of up to {@link MoverSettings#bufferLimit()} bytes through memory: its SHA-256
   * is computed in the one pass that reads it (and checked against the source's marker when
   * present), and the target checks the body of the one PUT that writes it (see {@link
   * PoolClient.BodyCheck}): against the source's ETag when that is an MD5, else against the SHA-256
   * written into the marker.
   */
  private KeyOutcome copyBuffered(
      InputStream in,
      SourceObject object,
      PoolClient source,
      PoolClient target,
      TaskContext context,
      Queue<Written> written)
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
    String sourceMd5 = contentMd5(object.etag());
    if (sourceMd5 != null) {
      try {
        put(target, object, content, PoolClient.BodyCheck.md5(sourceMd5), userMetadata);
        return written(written, object, sha256);
      } catch (ErrorResponseException e) {
        if (!REJECTED_MD5_CODES.contains(e.errorResponse().code())) {
          throw e;
        }
        if (md5Hex(content).equalsIgnoreCase(object.etag())) {
          throw refused(target, object, e, "have the source's MD5 " + object.etag());
        }
        // What was read does not have the MD5 the source's ETag names. Either that ETag is not an
        // MD5 of the content (encrypted objects; or the content matched the source's own SHA-256
        // marker, so it is right), and the SHA-256 alone must check the body; or the bytes read
        // are not what the source stored, and copying them would make a wrong copy look verified.
        if (!object.encrypted() && object.declaredSha256() == null) {
          throw new ContentMismatchException(
              "the content read from "
                  + object.bucket()
                  + "/"
                  + object.key()
                  + " on pool "
                  + source.poolId()
                  + " does not have the MD5 its ETag "
                  + object.etag()
                  + " names, and the object is not encrypted",
              FailureKind.TRANSIENT,
              e);
        }
      }
    }
    try {
      put(target, object, content, PoolClient.BodyCheck.sha256(sha256), userMetadata);
    } catch (ErrorResponseException e) {
      if (REJECTED_PAYLOAD_CODES.contains(e.errorResponse().code())) {
        throw refused(target, object, e, "hash to SHA-256 " + sha256);
      }
      throw e;
    }
    return written(written, object, sha256);
  }

  /** Writes {@code content} as the copy of {@code object}, in one PUT the target checks. */
  private static void put(
      PoolClient target,
      SourceObject object,
      byte[] content,
      PoolClient.BodyCheck check,
      Map<String, String> userMetadata)
      throws Exception {
    target.put(object.bucket(), object.key(), content, check, object.contentType(), userMetadata);
  }

  private static KeyOutcome written(Queue<Written> written, SourceObject object, String sha256) {
    Written copy = new Written(object.key(), object.size(), object.etag(), sha256);
    written.add(copy);
    return copy.outcome();
  }

  /** A target's refusal of a body that does not {@code check}: transient, the next read may do. */
  private static ContentMismatchException refused(
      PoolClient target, SourceObject object, ErrorResponseException e, String check) {
    return new ContentMismatchException(
        "pool "
            + target.poolId()
            + " refused the upload of "
            + object.bucket()
            + "/"
            + object.key()
            + " ("
            + e.errorResponse().code()
            + "): the body it received does not "
            + check,
        FailureKind.TRANSIENT,
        e);
  }

  /**
   * The base64 Content-MD5 of an object whose ETag is a plain MD5 (32 hex digits: a single-part
   * upload), or null for other ETags (multipart uploads end in {@code -N}).
   */
  static String contentMd5(String etag) {
    if (etag == null || etag.length() != 32) {
      return null;
    }
    for (int i = 0; i < 32; i++) {
      if (Character.digit(etag.charAt(i), 16) < 0) {
        return null;
      }
    }
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(etag));
  }

  private static String md5Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides MD5", e);
    }
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
      TaskContext context,
      Queue<Written> written)
      throws Exception {
    String[] pools = {source.poolId(), target.poolId()};
    String sha256 = object.declaredSha256();
    if (sha256 == null) {
      sha256 = HashingInputStream.hashing(metered(in, context, null, false, pools)).drain();
      in.close();
      in = source.open(object.bucket(), object.key(), object.etag());
    }
    if (object.size() > settings.partSize()) {
      abortEarlierUploads(target, object, context);
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
    return written(written, object, sha256);
  }

  /**
   * Aborts the multipart uploads of this key on the target before starting its own: a crashed
   * earlier run left them, holding parts nobody will complete. Asked per key because MinIO lists
   * only the uploads of one named object; only a multipart copy can have left any. (Upload times
   * cannot tell an earlier run's from another writer's: S3Proxy reports the time of the listing.
   * Targets are Strata's copies.)
   */
  private void abortEarlierUploads(PoolClient target, SourceObject object, TaskContext context) {
    List<Upload> uploads =
        retrier.call(
            target.poolId(),
            "LIST UPLOADS " + object.bucket() + "/" + object.key(),
            context.cancellation(),
            () -> target.incompleteUploads(object.bucket(), object.key()));
    for (Upload upload : uploads) {
      if (!upload.objectName().equals(object.key())) {
        continue; // A server that takes the key as a prefix lists longer keys too.
      }
      retrier.call(
          target.poolId(),
          "ABORT UPLOAD " + object.bucket() + "/" + object.key(),
          context.cancellation(),
          () -> {
            target.abortIgnoringMissing(object.bucket(), object.key(), upload.uploadId());
            return null;
          });
    }
  }

  /** The source's user metadata plus the markers a copy carries. */
  private static Map<String, String> markers(SourceObject object, String sha256) {
    Map<String, String> userMetadata = new LinkedHashMap<>(object.userMetadata());
    userMetadata.put(StrataMetadata.SHA256, sha256);
    userMetadata.put(StrataMetadata.SOURCE_ETAG, object.etag());
    return userMetadata;
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
