package io.strata.agent.dicom;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.ListedObject;
import java.util.function.Function;

/**
 * Classifies listed objects by their DICOM header, read with ranged GETs of their first bytes (8
 * KiB, more only when the header runs longer, never past {@link #MAX_HEADER_BYTES}), never the
 * whole object. What was found is kept per version of the object (pool, bucket, key, size, ETag),
 * so a shard scanned again reads only the headers of objects that are new or rewritten: at the
 * fleet's scale the headers read follow the objects written, not the scans. Bounded by {@link
 * #ENTRIES}, least recently used out first (about 30 MB at 300 bytes an entry).
 *
 * <p>An object that is not DICOM, or whose header is cut short or unreadable, is classified as such
 * and counted ({@link DicomMetrics}); it never fails the scan. A failed read (the pool did not
 * answer) does: the scan is retried rather than planned on an object it could not classify.
 *
 * <p>Thread-safe.
 */
public final class DicomClassifier {

  /** The first read: enough for the header of nearly every DICOM file. */
  static final int FIRST_READ = 8 * 1024;

  /** The most of an object read for its header. */
  public static final int MAX_HEADER_BYTES = 1024 * 1024;

  /** Versions of objects whose classification is kept. */
  static final int ENTRIES = 100_000;

  /** Reads bytes {@code [0, length)} of the object (fewer when it is shorter). */
  @FunctionalInterface
  public interface PrefixReader {
    byte[] read(int length) throws Exception;
  }

  private record Version(String pool, String bucket, String key, long size, String etag) {}

  private final Function<byte[], String> hash;
  private final DicomMetrics metrics;
  private final Cache<Version, DicomHeader> known =
      CacheBuilder.newBuilder().maximumSize(ENTRIES).build();

  /**
   * @param key the fleet's patient-id key; null to keep no hash of the PatientID (then no recall
   *     can name a patient)
   */
  public DicomClassifier(PatientIdKey key, DicomMetrics metrics) {
    this.hash = key == null ? id -> null : key::hash;
    this.metrics = metrics;
  }

  /**
   * {@code object} with its DICOM header, read from the pool through {@code reader} unless this
   * version's is known.
   *
   * @throws Exception what the reader throws: the pool could not be read
   */
  public ListedObject classify(String pool, String bucket, ListedObject object, PrefixReader reader)
      throws Exception {
    Version version =
        object.etag() == null
            ? null
            : new Version(pool, bucket, object.key(), object.size(), object.etag());
    DicomHeader header = version == null ? null : known.getIfPresent(version);
    if (header != null) {
      metrics.cached();
      return object.withDicom(header);
    }
    header = read(object.size(), reader);
    metrics.classified(header.kind());
    if (version != null) {
      known.put(version, header);
    }
    return object.withDicom(header);
  }

  private DicomHeader read(long size, PrefixReader reader) throws Exception {
    if (size <= 0) {
      return DicomHeader.notDicom("empty object");
    }
    int length = (int) Math.min(size, FIRST_READ);
    while (true) {
      byte[] prefix = reader.read(length);
      metrics.read(prefix.length);
      if (prefix.length < length) {
        // Shorter than listed: rewritten since; what was read is all there is of this version.
        size = prefix.length;
      }
      DicomHeaderReader.Reading reading = DicomHeaderReader.read(prefix, size, hash);
      if (reading instanceof DicomHeaderReader.Done done) {
        return done.header();
      }
      long wanted = ((DicomHeaderReader.NeedMore) reading).bytes();
      if (length >= MAX_HEADER_BYTES) {
        return DicomHeader.corrupt(
            "no SeriesInstanceUID (0020,000E) nor the end of the header within the first "
                + MAX_HEADER_BYTES
                + " bytes");
      }
      length = (int) Math.min(Math.min(size, MAX_HEADER_BYTES), Math.max(wanted, 2L * length));
    }
  }
}
