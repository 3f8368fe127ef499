package io.strata.policy.evaluate;

import io.strata.policy.model.StoragePolicy;
import java.util.List;
import java.util.Optional;

/**
 * The policies that govern one object.
 *
 * @param candidates every policy claiming the dataset whose selector takes the object; more than
 *     one only when the loaded policies conflict
 */
public record PolicyMatch(List<StoragePolicy> candidates) {
  public PolicyMatch {
    candidates = List.copyOf(candidates);
  }

  /** The governing policy; empty when none or several take the object. */
  public Optional<StoragePolicy> policy() {
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }

  /** True when several policies take the object (a conflict the loader should have refused). */
  public boolean isConflict() {
    return candidates.size() > 1;
  }
}
