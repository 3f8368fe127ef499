package io.strata.policy.evaluate;

import java.time.Instant;

/**
 * The instant an object's age counts from, and where it came from.
 *
 * @param reference the instant
 * @param source for operators: {@code LastModified}, {@code metadata study-date = 20190304}, or why
 *     the metadata could not be used
 */
public record AgeBasis(Instant reference, String source) {}
