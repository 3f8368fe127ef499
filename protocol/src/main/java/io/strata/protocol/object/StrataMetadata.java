package io.strata.protocol.object;

import java.util.Locale;
import java.util.Map;

/**
 * The user-metadata keys Strata reads and writes on objects (sent as {@code x-amz-meta-<key>}).
 * They live in user metadata rather than object tags because tags and versioning are not available
 * on every S3-compatible server Strata runs against.
 */
public final class StrataMetadata {

  /** Lowercase hex SHA-256 of the object's content, written together with the object. */
  public static final String SHA256 = "strata-sha256";

  /** ETag of the source object a copy was made from; lets a re-run skip copies already made. */
  public static final String SOURCE_ETAG = "strata-source-etag";

  /** ISO-8601 date or instant before which the object must not be deleted. */
  public static final String RETAIN_UNTIL = "strata-retain-until";

  /**
   * {@code true} (or {@code on}) while the object is under legal hold and must not be deleted;
   * {@code false}, {@code off} or blank when it is not. Any other value holds it too.
   */
  public static final String LEGAL_HOLD = "strata-legal-hold";

  /** The prefix S3 puts in front of user-metadata keys in HTTP headers. */
  public static final String HEADER_PREFIX = "x-amz-meta-";

  private StrataMetadata() {}

  /** Looks a user-metadata key up ignoring case, as S3 does. */
  public static String get(Map<String, String> userMetadata, String key) {
    if (userMetadata == null) {
      return null;
    }
    String direct = userMetadata.get(key);
    if (direct != null) {
      return direct;
    }
    for (Map.Entry<String, String> e : userMetadata.entrySet()) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (k.equals(key) || k.equals(HEADER_PREFIX + key)) {
        return e.getValue();
      }
    }
    return null;
  }
}
