package io.strata.policy.evaluate;

import java.time.Instant;

/**
 * The instant an object's age counts from, and where it came from.
 *
 * @param reference the instant
 * @param source for operators: {@code LastModified}, {@code metadata study-date = 20190304}, or why
 *     the metadata could not be used
 * @param stoodIn true when the policy counts age from a metadata date that was missing or not a
 *     date, so that LastModified stood in for it: the object's true age is then unknown (a study
 *     migrated in is older than its upload)
 */
public record AgeBasis(Instant reference, String source, boolean stoodIn) {

  /** An age counted as the policy asks, from LastModified or from its metadata date. */
  public AgeBasis(Instant reference, String source) {
    this(reference, source, false);
  }
}
