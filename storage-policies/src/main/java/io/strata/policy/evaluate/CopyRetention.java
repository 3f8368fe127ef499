package io.strata.policy.evaluate;

import io.strata.policy.model.PolicyDuration;
import io.strata.policy.model.StoragePolicy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The retain-until date a copy carries when Strata writes it ({@code strata-retain-until}, or the
 * pool's object lock): the earlier of the end of the object's retention and the end of the phase
 * the copy is written for. Pure and deterministic, like {@link PolicyEvaluator}.
 *
 * <p>Why the phase end and not the whole retention: a copy on the hot tier must be deletable when
 * its phase ends, or no object would ever leave NVMe. Each copy is thus kept for as long as the
 * phase it was written for needs it, and the copies of the last phase carry the retention's end.
 * Tier transitions happen at or after a phase's end, so they never meet a marker still in force.
 *
 * <p>The retention's end is the policy's {@code retention.minimum} counted from the object's age
 * reference, never later than the record class's legal minimum when the class has one: a marker (or
 * a compliance lock) cannot be shortened once written, so it never holds data past what the law
 * requires, in case the policy keeps it longer and is later brought back to the law. A copy gets no
 * date when the policy keeps nothing ({@code minimum: 0d} and a class without a legal minimum),
 * when the date has passed, when the object's age is not known (the policy counts it from a
 * metadata date, a DICOM StudyDate, the object lacks, so that LastModified stands in, and a study
 * migrated in could then be retained past its legal end), and when the policy counts age from
 * LastModified: that is each copy's own write time, not a fact of the object, so the copies of one
 * object would carry different dates.
 */
public final class CopyRetention {
  private CopyRetention() {}

  /**
   * The retain-until instant of a copy written at {@code evaluation.at()} for the phase the object
   * is in, in whole seconds (rounded down, so never later than the ends it is taken from); empty
   * when the copy carries none.
   */
  public static Optional<Instant> retainUntil(Evaluation evaluation) {
    Optional<Instant> retention = retentionEnd(evaluation);
    if (retention.isEmpty()) {
      return Optional.empty();
    }
    Instant until = retention.get();
    Instant phaseEnd = evaluation.nextTransition();
    if (phaseEnd != null && phaseEnd.isBefore(until)) {
      until = phaseEnd;
    }
    until = until.truncatedTo(ChronoUnit.SECONDS);
    return until.isAfter(evaluation.at()) ? Optional.of(until) : Optional.empty();
  }

  /**
   * When the object's retention ends: the policy's minimum, capped by the record class's legal
   * minimum where it has one; empty when it keeps nothing or the object's age is not known.
   */
  public static Optional<Instant> retentionEnd(Evaluation evaluation) {
    StoragePolicy policy = evaluation.policy();
    AgeBasis age = evaluation.age();
    if (age.stoodIn() || !policy.age().usesMetadata()) {
      // LastModified is each copy's own: when it was written there. A date counted from it would
      // differ from copy to copy (a copy written later, a landing copy stamped again), so a copy
      // moved within its phase could not hand its date on, and it would stay until the date.
      return Optional.empty();
    }
    PolicyDuration minimum = policy.retention().minimum();
    PolicyDuration legal = policy.recordClass().legalMinimum();
    Instant end = null;
    if (minimum.amount() > 0) {
      end = minimum.addTo(age.reference(), policy.timeZone());
    }
    if (legal.amount() > 0 && end != null) {
      Instant legalEnd = legal.addTo(age.reference(), policy.timeZone());
      end = legalEnd.isBefore(end) ? legalEnd : end;
    }
    return Optional.ofNullable(end);
  }
}
