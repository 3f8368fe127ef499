package io.strata.policy.validate;

import io.strata.policy.model.Phase;
import io.strata.policy.model.RecordClass;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyError;
import io.strata.topology.ClusterMap;
import io.strata.topology.placement.RuleValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a parsed policy against what lies outside its file: the law, through its record class, and
 * a cluster map, through {@link RuleValidator}. Pure; errors carry the position of the field at
 * fault.
 */
public final class PolicyValidator {
  private PolicyValidator() {}

  /** Every problem with the policy; empty when it may be applied to the map. */
  public static List<PolicyError> problems(StoragePolicy policy, ClusterMap map) {
    List<PolicyError> errors = new ArrayList<>(legalProblems(policy));
    errors.addAll(placementProblems(policy, map));
    return errors;
  }

  /**
   * A retention shorter than the record class's legal minimum, unless the policy gives a reason for
   * the override.
   */
  public static List<PolicyError> legalProblems(StoragePolicy policy) {
    RecordClass rc = policy.recordClass();
    var minimum = policy.retention().minimum();
    if (!minimum.isShorterThan(rc.legalMinimum()) || policy.retention().override() != null) {
      return List.of();
    }
    return List.of(
        PolicyError.at(
            policy.position("retention.minimum"),
            "retention.minimum",
            minimum
                + " is shorter than the legal minimum "
                + rc.legalMinimum()
                + " for record class "
                + rc.label()
                + " ("
                + rc.basis()
                + "); write at least "
                + rc.legalMinimum()
                + ", or add retention.override with the reason"));
  }

  /** Phases the map cannot place: unknown tiers, too few domains of the spread level. */
  public static List<PolicyError> placementProblems(StoragePolicy policy, ClusterMap map) {
    List<PolicyError> errors = new ArrayList<>();
    for (Phase phase : policy.phases()) {
      String field = "phases." + phase.after();
      for (String problem : RuleValidator.problems(phase.rule(), map)) {
        errors.add(
            PolicyError.at(
                policy.position(field),
                field,
                phase.rule()
                    + " cannot be placed on the cluster map (epoch "
                    + map.epoch()
                    + "): "
                    + problem));
      }
    }
    return errors;
  }
}
