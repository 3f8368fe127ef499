package io.strata.policy.model;

import java.util.Objects;

/**
 * How long objects must be kept, whatever else happens.
 *
 * @param minimum no object is deleted before it is this old (counted from its age reference)
 * @param legalHold when true no object is deleted at all, neither on request nor by expiry, until
 *     the policy is changed to lift the hold
 * @param writeOnce when true objects may not be overwritten or deleted while retained (pools should
 *     enforce it with S3 object lock in compliance mode)
 * @param override the reason a minimum shorter than the record class's legal minimum is acceptable;
 *     {@code null} when there is none
 */
public record Retention(
    PolicyDuration minimum, boolean legalHold, boolean writeOnce, String override) {
  public Retention {
    Objects.requireNonNull(minimum, "minimum");
  }
}
