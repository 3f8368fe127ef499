package io.strata.fleet.reconcile;

import io.strata.protocol.task.Task;

/**
 * A task the planner wants run.
 *
 * @param task the task; its id is derived from its content, so planning twice gives one task
 * @param priority why it exists
 * @param executor the pool whose agent runs it (the target of a copy, else the pool worked on)
 * @param bytes bytes it moves, for throttling (0 for scans and deletions)
 * @param policy the storage policy whose objects a voluntary copy moves, for its bandwidth cap;
 *     null for other tasks
 * @param rank that policy's {@code movement.priority} (0 to 100, higher first among tasks of the
 *     same priority); 0 for other tasks
 */
public record PlannedTask(
    Task task, TaskPriority priority, String executor, long bytes, String policy, int rank) {
  /** A task no policy's movement settings govern (repairs, scans, deletions). */
  public PlannedTask(Task task, TaskPriority priority, String executor, long bytes) {
    this(task, priority, executor, bytes, null, 0);
  }
}
