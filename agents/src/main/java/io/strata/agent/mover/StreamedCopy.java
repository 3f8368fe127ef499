package io.strata.agent.mover;

import io.minio.messages.Upload;
import java.io.InputStream;
import java.util.List;

/**
 * The copy of an object larger than {@link MoverSettings#bufferLimit()}, as a stream (multipart
 * above {@link MoverSettings#partSize()}), never holding it whole. Its SHA-256 goes into the marker
 * of the request that creates the target, so it must be known before writing: it is taken from the
 * source's marker, or computed by a first read of the source. The stream that feeds the upload
 * fails before its last byte if its content turns out different, so a wrong upload never completes.
 *
 * <p>Idempotent: a multipart copy first aborts the uploads of its key that an earlier run left, and
 * the completed upload replaces the target whole. Thread-safe.
 */
final class StreamedCopy {

  private final Retrier retrier;
  private final TransferMeter meter;
  private final MoverSettings settings;

  StreamedCopy(Retrier retrier, TransferMeter meter, MoverSettings settings) {
    this.retrier = retrier;
    this.meter = meter;
    this.settings = settings;
  }

  /**
   * Copies {@code object} from {@code in}, its body on the source.
   *
   * @return the SHA-256 of the content written, for the caller to read the copy back
   * @throws ContentMismatchException when the content read is not what the source says it is
   */
  String copy(
      InputStream in,
      ObjectCopier.SourceObject object,
      PoolClient source,
      PoolClient target,
      TaskContext context)
      throws Exception {
    String[] pools = {source.poolId(), target.poolId()};
    String sha256 = object.declaredSha256();
    if (sha256 == null) {
      sha256 = HashingInputStream.hashing(meter.metered(in, context, null, false, pools)).drain();
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
              meter.metered(in, context, target.poolId(), true, pools),
              object.size(),
              sha256,
              object.mismatchKind()),
          object.size(),
          settings.partSize(),
          object.contentType(),
          object.markers(sha256));
    }
    return sha256;
  }

  /**
   * Aborts the multipart uploads of this key on the target before starting its own: a crashed
   * earlier run left them, holding parts nobody will complete. Asked per key because MinIO lists
   * only the uploads of one named object; only a multipart copy can have left any. (Upload times
   * cannot tell an earlier run's from another writer's: S3Proxy reports the time of the listing.
   * Targets are Strata's copies.)
   */
  private void abortEarlierUploads(
      PoolClient target, ObjectCopier.SourceObject object, TaskContext context) {
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
}
