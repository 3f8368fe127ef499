package io.strata.policy.parse;

import io.strata.policy.model.StoragePolicy;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of loading policies: either the policies, or every error found in them, never both. A
 * caller that gets errors should keep the policies it had and show the errors.
 *
 * @param policies the loaded policies, in input order; empty when there are errors
 * @param errors every error, ordered by file, line and column; empty when loading succeeded
 */
public record PolicyLoadResult(List<StoragePolicy> policies, List<PolicyError> errors) {
  private static final Comparator<PolicyError> ORDER =
      Comparator.comparing(PolicyError::file)
          .thenComparingInt(PolicyError::line)
          .thenComparingInt(PolicyError::column);

  public PolicyLoadResult {
    errors = errors.stream().sorted(ORDER).toList();
    policies = errors.isEmpty() ? List.copyOf(policies) : List.of();
  }

  /** A successful load. */
  public static PolicyLoadResult of(List<StoragePolicy> policies) {
    return new PolicyLoadResult(policies, List.of());
  }

  /** A failed load. */
  public static PolicyLoadResult failed(List<PolicyError> errors) {
    return new PolicyLoadResult(List.of(), errors);
  }

  public boolean isValid() {
    return errors.isEmpty();
  }

  /**
   * The policies.
   *
   * @throws PolicyException carrying every error when loading failed
   */
  public List<StoragePolicy> orThrow() {
    if (!errors.isEmpty()) {
      throw new PolicyException(errors);
    }
    return policies;
  }
}
