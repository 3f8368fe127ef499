package io.strata.policy.evaluate;

import io.strata.policy.model.StoragePolicy;

/**
 * Two policies that could both govern the same object: their dataset patterns share a name and
 * their selectors can both hold. Every object must have at most one policy, so a set of policies
 * with a conflict is not applied.
 *
 * @param first the policy loaded first
 * @param second the policy loaded later
 * @param datasets the patterns of each that overlap, e.g. {@code *-imaging and h01-*}
 */
public record PolicyConflict(StoragePolicy first, StoragePolicy second, String datasets) {
  /** A sentence for operators. */
  public String describe() {
    return "policies '"
        + first.name()
        + "' ("
        + first.file()
        + ") and '"
        + second.name()
        + "' ("
        + second.file()
        + ") both claim datasets matching "
        + datasets
        + " with overlapping selectors ("
        + first.selector()
        + " / "
        + second.selector()
        + "); give them disjoint datasets, prefixes or metadata values";
  }
}
