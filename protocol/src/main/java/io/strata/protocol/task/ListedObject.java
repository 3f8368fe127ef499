package io.strata.protocol.task;

import io.strata.protocol.object.DicomHeader;
import java.time.Instant;
import java.util.Map;

/**
 * One object as a listing (or a HEAD) shows it.
 *
 * @param key object key
 * @param size size in bytes
 * @param lastModified last modification time reported by the pool
 * @param etag the ETag without quotes
 * @param sha256 Strata's SHA-256 marker when the pool reported it, else null
 * @param metadata the object's user metadata (names in lower case, without {@code x-amz-meta-});
 *     filled in scans that return their listing, empty otherwise
 * @param dicom what the object's DICOM header says, read by scans that were asked to (see {@link
 *     Task#dicomHeaders()}); null when not read
 */
public record ListedObject(
    String key,
    long size,
    Instant lastModified,
    String etag,
    String sha256,
    Map<String, String> metadata,
    DicomHeader dicom) {
  public ListedObject {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** An object as a listing or a HEAD shows it, its DICOM header not read. */
  public ListedObject(
      String key,
      long size,
      Instant lastModified,
      String etag,
      String sha256,
      Map<String, String> metadata) {
    this(key, size, lastModified, etag, sha256, metadata, null);
  }

  /** An object as a plain listing shows it, without user metadata. */
  public ListedObject(String key, long size, Instant lastModified, String etag, String sha256) {
    this(key, size, lastModified, etag, sha256, Map.of(), null);
  }

  /** This object with what its DICOM header says. */
  public ListedObject withDicom(DicomHeader header) {
    return new ListedObject(key, size, lastModified, etag, sha256, metadata, header);
  }

  /**
   * The checksum used in scan digests: {@code sha256:<hex>} when the Strata marker is known, else
   * {@code etag:<etag>}.
   */
  public String checksum() {
    return sha256 != null ? "sha256:" + sha256 : "etag:" + etag;
  }
}
