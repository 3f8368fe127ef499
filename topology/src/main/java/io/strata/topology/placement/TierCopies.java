package io.strata.topology.placement;

import java.util.Objects;

/**
 * So many copies on pools of one tier.
 *
 * @param tier the tier's name
 * @param count how many copies, at least 1
 */
public record TierCopies(String tier, int count) {
  public TierCopies {
    Objects.requireNonNull(tier, "tier");
    if (count < 1) {
      throw new IllegalArgumentException("copies of tier '" + tier + "' must be at least 1");
    }
  }
}
