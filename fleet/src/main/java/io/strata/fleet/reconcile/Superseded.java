package io.strata.fleet.reconcile;

import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import io.strata.protocol.task.VerifiedCopy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a shard's queued tasks a new plan of the shard leaves behind. Pure: the queue applies
 * the verdict.
 *
 * <p>A waiting task that is not in the plan is removed. A running delete is stopped as soon as its
 * own id (which includes its proof) leaves the plan: a scrub may since have found wrong a copy it
 * relies on, which the agent's checks before each deletion cannot see. A running copy is stopped
 * only when none of its keys is still planned for the same move (same pools, same kind of copy):
 * new objects shift how a shard's keys fall into tasks, and a copy whose keys are still wanted goes
 * on. Scans and scrubs are not planned this way and stay, as do tasks already being stopped.
 */
public final class Superseded {
  /** Stands for a task over its whole range (no keys named) among planned keys. */
  private static final String WHOLE_RANGE = "";

  private Superseded() {}

  /**
   * @param remove ids of waiting tasks to remove
   * @param stop ids of running tasks whose agents are to be told to stop them
   */
  public record Verdict(List<String> remove, List<String> stop) {}

  /** The verdict on {@code queued}, the shard's tasks in the queue, given its new plan. */
  public static Verdict of(List<QueuedTask> queued, List<PlannedTask> planned) {
    Set<String> ids = new HashSet<>();
    planned.forEach(p -> ids.add(p.task().id()));
    List<String> remove = new ArrayList<>();
    List<String> stop = new ArrayList<>();
    List<Task> runningCopies = new ArrayList<>();
    for (QueuedTask q : queued) {
      Task t = q.task();
      if (q.priority().reads() || ids.contains(t.id()) || q.cancelling()) {
        continue;
      }
      if (!q.leased()) {
        remove.add(t.id());
      } else if (t.type() == TaskType.DELETE_COPY) {
        stop.add(t.id());
      } else {
        runningCopies.add(t);
      }
    }
    if (!runningCopies.isEmpty()) {
      // Gathered only now: most rounds have no running copy out of the plan, and a shard being
      // drained plans thousands of keys.
      Map<String, Set<String>> keysByMove = new HashMap<>();
      runningCopies.forEach(t -> keysByMove.put(move(t), new HashSet<>()));
      for (PlannedTask p : planned) {
        Set<String> keys = keysByMove.get(move(p.task()));
        if (keys != null) {
          keys.addAll(p.task().keys().isEmpty() ? Set.of(WHOLE_RANGE) : p.task().keys());
        }
      }
      for (Task t : runningCopies) {
        if (!stillWanted(t, keysByMove.get(move(t)))) {
          stop.add(t.id());
        }
      }
    }
    return new Verdict(remove, stop);
  }

  /** Whether a delete's proof relies on a copy of one of {@code keys} on {@code pool}. */
  public static boolean reliesOn(DeleteProof proof, String pool, Set<String> keys) {
    for (var e : proof.copies().entrySet()) {
      if (keys.contains(e.getKey())) {
        for (VerifiedCopy copy : e.getValue()) {
          if (copy.pool().equals(pool)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean stillWanted(Task task, Set<String> plannedKeys) {
    if (plannedKeys.contains(WHOLE_RANGE)) {
      return true;
    }
    if (task.keys().isEmpty()) {
      return !plannedKeys.isEmpty();
    }
    for (String key : task.keys()) {
      if (plannedKeys.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** What a task moves where, whatever its keys. */
  private static String move(Task t) {
    return t.type() + "|" + t.sourcePool() + "|" + t.targetPool() + "|" + t.repair();
  }
}
