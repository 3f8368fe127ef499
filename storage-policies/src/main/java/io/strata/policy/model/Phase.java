package io.strata.policy.model;

import io.strata.topology.placement.PlacementRule;
import java.util.Objects;

/**
 * Where copies live once an object reaches an age: from {@code after} until the next phase begins.
 * The rule is what the reconciler hands to placement.
 *
 * @param after the age at which the phase begins
 * @param rule copies, tiers and spread
 */
public record Phase(PolicyDuration after, PlacementRule rule) {
  public Phase {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(rule, "rule");
  }

  /** The phase as a policy file writes it: {@code 90d: 1 × warm-hdd + 1 × cold-archive ...}. */
  @Override
  public String toString() {
    return after + ": " + rule;
  }
}
