package io.strata.agent.mover;

import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import io.strata.protocol.task.VerifiedCopy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules a {@code delete-copy} must pass before any object is removed. Pure: no I/O, the clock
 * reading is passed in.
 */
public final class DeleteGuard {

  private DeleteGuard() {}

  /** The keys a delete-copy task works on: its explicit keys, else every key of its proof. */
  public static List<String> keysOf(Task task) {
    if (!task.keys().isEmpty() || task.proof() == null) {
      return task.keys();
    }
    return task.proof().copies().keySet().stream().sorted().toList();
  }

  /**
   * Checks the task and its proof against the agent's current epoch.
   *
   * @return why the task must be refused, or empty when it may proceed
   */
  public static Optional<String> refusal(Task task, long currentEpoch) {
    if (task.type() != TaskType.DELETE_COPY) {
      return Optional.of("task " + task.id() + " is not a delete-copy task");
    }
    DeleteProof proof = task.proof();
    if (proof == null) {
      return Optional.of(
          "delete-copy task " + task.id() + " carries no proof of verified copies elsewhere");
    }
    if (task.epoch() != currentEpoch || proof.epoch() != currentEpoch) {
      return Optional.of(
          "delete-copy task "
              + task.id()
              + " was issued at epoch "
              + task.epoch()
              + " with a proof from epoch "
              + proof.epoch()
              + ", but the agent is at epoch "
              + currentEpoch
              + "; copies must be verified at the current epoch");
    }
    if (proof.expiry() != null) {
      if (proof.requiredCopies() != 0) {
        return Optional.of(
            "the proof of task "
                + task.id()
                + " destroys data under expiry "
                + proof.expiry()
                + " but requires "
                + proof.requiredCopies()
                + " other copies; an expiry requires none");
      }
      return eachKey(task, key -> expiryRefusal(task, proof, key));
    }
    if (proof.requiredCopies() < 1) {
      return Optional.of(
          "the proof of task "
              + task.id()
              + " requires "
              + proof.requiredCopies()
              + " other copies; at least 1 is needed");
    }
    return eachKey(
        task,
        key -> {
          List<VerifiedCopy> copies = proof.copies().get(key);
          long others =
              copies == null
                  ? 0
                  : copies.stream()
                      .map(VerifiedCopy::pool)
                      .filter(pool -> !pool.equals(task.sourcePool()))
                      .distinct()
                      .count();
          return others >= proof.requiredCopies()
              ? Optional.empty()
              : Optional.of(
                  "the proof lists "
                      + others
                      + " verified copies of "
                      + key
                      + " outside pool "
                      + task.sourcePool()
                      + ", "
                      + proof.requiredCopies()
                      + " are required");
        });
  }

  /**
   * The first refusal among the task's keys: none named, one outside its shard, or what {@code
   * check} finds of a key; empty when every key passes.
   */
  private static Optional<String> eachKey(
      Task task, java.util.function.Function<String, Optional<String>> check) {
    List<String> keys = keysOf(task);
    if (keys.isEmpty()) {
      return Optional.of("delete-copy task " + task.id() + " names no keys");
    }
    for (String key : keys) {
      if (!task.range().contains(key)) {
        return Optional.of("key " + key + " is outside the task's shard " + task.range());
      }
      Optional<String> refused = check.apply(key);
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  /**
   * The check of one key of a destruction under an approved expiry: no copy need remain, but the
   * proof names the copy on the task's pool as the plan saw it, so that the agent deletes only that
   * version.
   */
  private static Optional<String> expiryRefusal(Task task, DeleteProof proof, String key) {
    List<VerifiedCopy> copies = proof.copies().get(key);
    if (copies != null && copies.size() == 1 && copies.get(0).pool().equals(task.sourcePool())) {
      return Optional.empty();
    }
    return Optional.of(
        "the proof of task "
            + task.id()
            + " does not name the copy of "
            + key
            + " on pool "
            + task.sourcePool()
            + " that expiry "
            + proof.expiry()
            + " destroys");
  }

  /**
   * Whether retention or legal hold recorded in the object's user metadata forbid deleting it at
   * {@code now}; see {@link StrataMetadata#protection}.
   *
   * @return the reason the object is protected, or empty
   */
  public static Optional<String> protection(Map<String, String> userMetadata, Instant now) {
    return StrataMetadata.protection(userMetadata, now);
  }
}
