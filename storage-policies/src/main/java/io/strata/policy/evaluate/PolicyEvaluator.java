package io.strata.policy.evaluate;

import io.strata.policy.model.Phase;
import io.strata.policy.model.PolicyDuration;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.model.TimeWindow;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a policy to an object at an instant. Pure and deterministic: the same policy, object and
 * instant give the same evaluation on every machine; there is no clock inside. Thread-safe.
 */
public final class PolicyEvaluator {
  private static final DateTimeFormatter DICOM_DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
  private static final int MIN_YEAR = 1900;
  private static final int MAX_YEAR = 9999;

  private PolicyEvaluator() {}

  /**
   * Evaluates the policy for the object at {@code at}. Does not check that the policy's selector
   * takes the object; use {@link PolicySet#governing} for that.
   */
  public static Evaluation evaluate(StoragePolicy policy, StoredObject object, Instant at) {
    ZoneId zone = policy.timeZone();
    AgeBasis age = ageBasis(policy, object);
    List<Phase> phases = policy.phases();
    int current = 0;
    for (int i = 1; i < phases.size(); i++) {
      if (!phases.get(i).after().addTo(age.reference(), zone).isAfter(at)) {
        current = i;
      }
    }
    Phase phase = phases.get(current);
    Phase next = current + 1 < phases.size() ? phases.get(current + 1) : null;
    Instant nextTransition = next == null ? null : next.after().addTo(age.reference(), zone);
    Instant nextMoveAt = nextTransition == null ? null : windowOpen(policy, nextTransition);
    Instant expiresAt =
        policy.expiry() == null ? null : policy.expiry().addTo(age.reference(), zone);
    boolean hold = policy.retention().legalHold();
    return new Evaluation(
        policy,
        object,
        at,
        age,
        phase,
        phase.after().addTo(age.reference(), zone),
        next,
        nextTransition,
        nextMoveAt,
        windowOpen(policy, at).equals(at),
        deletion(policy, age, at),
        expiresAt,
        expiresAt != null && !hold && !at.isBefore(expiresAt));
  }

  /**
   * Where the object's age counts from: the policy's metadata date when readable, else
   * LastModified.
   */
  public static AgeBasis ageBasis(StoragePolicy policy, StoredObject object) {
    if (!policy.age().usesMetadata()) {
      return new AgeBasis(object.lastModified(), "LastModified");
    }
    String field = policy.age().metadataField();
    String label = policy.age().label();
    String value =
        object.metadata().entrySet().stream()
            .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(field))
            .map(Map.Entry::getValue)
            .sorted()
            .findFirst()
            .orElse(null);
    if (value == null) {
      return new AgeBasis(object.lastModified(), "LastModified (" + label + " is missing)", true);
    }
    Optional<Instant> date = parseDate(value.trim(), policy.timeZone());
    return date.map(d -> new AgeBasis(d, label + " = " + value))
        .orElseGet(
            () ->
                new AgeBasis(
                    object.lastModified(),
                    "LastModified (" + label + " = '" + value + "' is not a date)",
                    true));
  }

  /**
   * Reads a date as hospitals write it: DICOM {@code 20190304}, ISO {@code 2019-03-04}, or an ISO
   * date-time with or without an offset. Dates without an offset are local to {@code zone}; dates
   * start at midnight. Years outside 1900..9999 are refused as typing errors.
   */
  static Optional<Instant> parseDate(String text, ZoneId zone) {
    try {
      ZonedDateTime t;
      if (text.matches("\\d{8}")) {
        t = LocalDate.parse(text, DICOM_DATE).atStartOfDay(zone);
      } else if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
        t = LocalDate.parse(text).atStartOfDay(zone);
      } else if (text.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+")) {
        t = LocalDateTime.parse(text).atZone(zone);
      } else {
        t = OffsetDateTime.parse(text).toZonedDateTime();
      }
      return t.getYear() < MIN_YEAR || t.getYear() > MAX_YEAR
          ? Optional.empty()
          : Optional.of(t.toInstant());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static Deletion deletion(StoragePolicy policy, AgeBasis age, Instant at) {
    if (policy.retention().legalHold()) {
      return new Deletion(
          false,
          "policy " + policy.name() + " holds every object (retention.legalHold: true)",
          null);
    }
    PolicyDuration minimum = policy.retention().minimum();
    Instant keepUntil = minimum.addTo(age.reference(), policy.timeZone());
    String basis =
        "retention minimum " + minimum + " counted from " + age.source() + legalNote(policy);
    return at.isBefore(keepUntil)
        ? new Deletion(false, basis, keepUntil)
        : new Deletion(true, basis + " has passed", null);
  }

  private static String legalNote(StoragePolicy policy) {
    var rc = policy.recordClass();
    if (policy.retention().override() != null) {
      return " (below the legal "
          + rc.legalMinimum()
          + " by override: "
          + policy.retention().override()
          + ")";
    }
    return rc.legalMinimum().equals(PolicyDuration.ZERO) ? "" : " (" + rc.basis() + ")";
  }

  /** The first instant at or after {@code from} inside a movement window of the policy. */
  static Instant windowOpen(StoragePolicy policy, Instant from) {
    List<TimeWindow> windows = policy.movement().windows();
    if (windows.isEmpty()) {
      return from;
    }
    ZonedDateTime local = from.atZone(policy.timeZone());
    Instant best = null;
    for (TimeWindow w : windows) {
      Instant open = w.nextOpen(local, policy.timeZone()).toInstant();
      if (open.isBefore(from)) {
        open = from;
      }
      if (best == null || open.isBefore(best)) {
        best = open;
      }
    }
    return best;
  }
}
