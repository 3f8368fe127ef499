package io.strata.policy.parse;

import java.util.List;
import java.util.stream.Collectors;

/** Policies that cannot be used, with every problem found in them. */
public class PolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<PolicyError> errors;

  public PolicyException(List<PolicyError> errors) {
    super(errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  /** Every problem, in file and line order; never empty. */
  public List<PolicyError> errors() {
    return errors;
  }
}
