package io.strata.agent.mover;

import io.minio.errors.ErrorResponseException;
import io.strata.protocol.task.FailureKind;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The copy of an object of up to {@link MoverSettings#bufferLimit()} bytes, through memory: it is
 * read once, hashed where it was read into (and checked against the source's own marker when
 * present), and written in one PUT that the target checks before storing it (see {@link
 * PoolClient.BodyCheck}): against the source's ETag as Content-MD5 when that ETag is an MD5, which
 * ties the stored bytes to the source's own checksum at no extra cost to either side; else against
 * the SHA-256 written into the marker, as the signed payload hash.
 *
 * <p>Idempotent: the PUT replaces the target whole, and a body the target refuses stores nothing.
 * Thread-safe.
 */
final class BufferedCopy {

  /**
   * Error codes with which servers refuse a PUT whose body does not hash to its signed payload
   * hash: MinIO and AWS say so; S3Proxy folds the hash into the signature, so a wrong body reads as
   * a wrong signature there (keys that are really wrong fail the task's first listing instead).
   */
  private static final Set<String> REJECTED_PAYLOAD_CODES =
      Set.of("XAmzContentSHA256Mismatch", "BadDigest", "SignatureDoesNotMatch");

  /** Error codes with which servers refuse a body that does not match its Content-MD5. */
  private static final Set<String> REJECTED_MD5_CODES = Set.of("BadDigest", "InvalidDigest");

  private final TransferMeter meter;

  BufferedCopy(TransferMeter meter) {
    this.meter = meter;
  }

  /**
   * Copies {@code object} from {@code in}, its body on the source. The content is held in the
   * segments it was read into and sent from them (see {@link PoolClient#put}): no copy of it is
   * made in memory, and it is hashed once, there.
   *
   * @return the SHA-256 of the content written, for the caller to read the copy back
   * @throws ContentMismatchException when the content read is not what the source says it is, or
   *     the target refused the body it received
   */
  String copy(
      BufferedSource in,
      ObjectCopier.SourceObject object,
      PoolClient source,
      PoolClient target,
      TaskContext context)
      throws Exception {
    String[] pools = {source.poolId(), target.poolId()};
    Buffer content =
        meter.read(in, object.size(), object.mismatchKind(), context, target.poolId(), pools);
    String sha256 = content.sha256().hex();
    if (object.declaredSha256() != null && !object.declaredSha256().equalsIgnoreCase(sha256)) {
      throw new ContentMismatchException(
          "content has SHA-256 " + sha256 + ", expected " + object.declaredSha256(),
          object.mismatchKind());
    }
    Map<String, String> userMetadata = object.markers(sha256);
    String sourceMd5 = contentMd5(object.etag());
    if (sourceMd5 != null) {
      try {
        put(target, object, content, PoolClient.BodyCheck.md5(sourceMd5), userMetadata);
        return sha256;
      } catch (ErrorResponseException e) {
        if (!REJECTED_MD5_CODES.contains(e.errorResponse().code())) {
          throw e;
        }
        if (content.md5().hex().equalsIgnoreCase(object.etag())) {
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
    return sha256;
  }

  /** Writes {@code content} as the copy of {@code object}, in one PUT the target checks. */
  private static void put(
      PoolClient target,
      ObjectCopier.SourceObject object,
      Buffer content,
      PoolClient.BodyCheck check,
      Map<String, String> userMetadata)
      throws Exception {
    target.put(object.bucket(), object.key(), content, check, object.contentType(), userMetadata);
  }

  /** A target's refusal of a body that does not {@code check}: transient, the next read may do. */
  private static ContentMismatchException refused(
      PoolClient target, ObjectCopier.SourceObject object, ErrorResponseException e, String check) {
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
}
