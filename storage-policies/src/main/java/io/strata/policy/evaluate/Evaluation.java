package io.strata.policy.evaluate;

import io.strata.policy.model.Phase;
import io.strata.policy.model.StoragePolicy;
import io.strata.topology.placement.PlacementRule;
import java.time.Instant;

/**
 * What a policy says about one object at one instant.
 *
 * @param policy the policy applied
 * @param object the object
 * @param at the instant asked about
 * @param age where the object's age counts from
 * @param phase the phase the object is in
 * @param phaseSince when it entered that phase (may be before the object was written, when its age
 *     comes from metadata)
 * @param nextPhase the phase that follows; {@code null} in the last phase
 * @param nextTransition when the next phase begins; {@code null} in the last phase
 * @param nextMoveAt the first instant at or after {@code nextTransition} inside a movement window;
 *     {@code null} in the last phase
 * @param movementOpen whether tier transitions may run at {@code at}
 * @param deletion whether the object may be deleted at {@code at}
 * @param expiresAt when the policy deletes the object; {@code null} when it never does
 * @param expired true when the object is past expiry and no hold keeps it: it should be deleted
 */
public record Evaluation(
    StoragePolicy policy,
    StoredObject object,
    Instant at,
    AgeBasis age,
    Phase phase,
    Instant phaseSince,
    Phase nextPhase,
    Instant nextTransition,
    Instant nextMoveAt,
    boolean movementOpen,
    Deletion deletion,
    Instant expiresAt,
    boolean expired) {
  /** The placement rule of the current phase: what the reconciler hands to placement. */
  public PlacementRule rule() {
    return phase.rule();
  }
}
