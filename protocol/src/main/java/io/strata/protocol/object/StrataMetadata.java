package io.strata.protocol.object;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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

  /**
   * Whether retention or legal hold recorded in the object's user metadata forbid deleting it at
   * {@code now}. A {@code strata-retain-until} date keeps the object through the whole of that day
   * in UTC; a legal hold is {@code true} or {@code on} (any case). A value of either that cannot be
   * read keeps the object too.
   *
   * @return the reason the object is protected, or empty
   */
  public static Optional<String> protection(Map<String, String> userMetadata, Instant now) {
    Optional<String> held = legalHold(userMetadata);
    if (held.isPresent()) {
      return held;
    }
    String retain = StrataMetadata.get(userMetadata, StrataMetadata.RETAIN_UNTIL);
    if (retain == null || retain.isBlank()) {
      return Optional.empty();
    }
    Instant until;
    try {
      until = parseRetainUntil(retain.trim());
    } catch (DateTimeParseException e) {
      return Optional.of(
          "object has an unreadable "
              + StrataMetadata.RETAIN_UNTIL
              + " value '"
              + retain
              + "'; expected an ISO-8601 date or instant");
    }
    if (now.isBefore(until)) {
      return Optional.of("object is retained until " + retain);
    }
    return Optional.empty();
  }

  /**
   * Whether the object's {@link #LEGAL_HOLD} marker holds it: {@code true} or {@code on} (any
   * case), or a value that cannot be read.
   *
   * @return the reason it is held, or empty
   */
  public static Optional<String> legalHold(Map<String, String> userMetadata) {
    String hold = StrataMetadata.get(userMetadata, StrataMetadata.LEGAL_HOLD);
    if (hold != null && !hold.isBlank()) {
      String value = hold.trim().toLowerCase(Locale.ROOT);
      if (value.equals("true") || value.equals("on")) {
        return Optional.of("object is under legal hold");
      }
      if (!value.equals("false") && !value.equals("off")) {
        // Fail closed, as for an unreadable retention date: a hold nobody can read is a hold.
        return Optional.of(
            "object has an unreadable "
                + StrataMetadata.LEGAL_HOLD
                + " value '"
                + hold
                + "'; expected true or false, kept as held");
      }
    }
    return Optional.empty();
  }

  /**
   * The instant a {@link #RETAIN_UNTIL} marker in force at {@code now} retains the object until,
   * when that marker is all that keeps it: empty when it carries none, when it has passed, when it
   * cannot be read, and when a legal-hold marker holds the object (see {@link #retainsUntil}).
   */
  public static Optional<Instant> retentionInForce(Map<String, String> userMetadata, Instant now) {
    if (legalHold(userMetadata).isPresent()) {
      return Optional.empty();
    }
    Optional<Instant> until = readRetainUntil(userMetadata);
    return until.filter(now::isBefore);
  }

  /**
   * Why the copy with user metadata {@code copy} may not be deleted at {@code now} while the copies
   * with {@code staying} stay, as the agent checks before a deletion: a legal-hold marker (or a
   * marker that cannot be read), or a {@link #RETAIN_UNTIL} in force that fewer than {@code
   * required} of the staying copies carry at least as late (a copy's retention keeps the object's
   * data, not the copy where it is). Empty when its markers let it go.
   */
  public static Optional<String> keeps(
      Map<String, String> copy, List<Map<String, String>> staying, int required, Instant now) {
    Optional<String> kept = protection(copy, now);
    Optional<Instant> until = retentionInForce(copy, now);
    if (kept.isEmpty() || until.isEmpty()) {
      return kept;
    }
    long asLong = staying.stream().filter(m -> retainsUntil(m, until.get())).count();
    return asLong >= required ? Optional.empty() : kept;
  }

  /**
   * Whether the object's {@link #RETAIN_UNTIL} marker retains it at least until {@code until}. A
   * copy's retention keeps the object's data, not the copy where it is: a copy retained until a
   * date may go when the copies that stay are retained as long, as a copy moved within its phase is
   * (the new copy carries the same date). A marker that cannot be read retains nothing here.
   */
  public static boolean retainsUntil(Map<String, String> userMetadata, Instant until) {
    return readRetainUntil(userMetadata).map(u -> !u.isBefore(until)).orElse(false);
  }

  /**
   * The instant the object's {@link #RETAIN_UNTIL} marker retains it until, passed or not; empty
   * when it carries none or one that cannot be read.
   */
  public static Optional<Instant> retainUntilOf(Map<String, String> userMetadata) {
    return readRetainUntil(userMetadata);
  }

  private static Optional<Instant> readRetainUntil(Map<String, String> userMetadata) {
    String retain = get(userMetadata, RETAIN_UNTIL);
    if (retain == null || retain.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parseRetainUntil(retain.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The value of {@link #RETAIN_UNTIL} for {@code until}: an ISO-8601 instant in UTC, in whole
   * seconds ({@code 2049-03-03T16:00:00Z}), as {@link #protection} reads it back.
   */
  public static String retainUntil(Instant until) {
    return DateTimeFormatter.ISO_INSTANT.format(until.truncatedTo(ChronoUnit.SECONDS));
  }

  private static Instant parseRetainUntil(String value) {
    if (value.length() == 10) {
      return LocalDate.parse(value).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    return OffsetDateTime.parse(value).toInstant();
  }
}
