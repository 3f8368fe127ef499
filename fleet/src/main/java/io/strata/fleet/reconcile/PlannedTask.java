package io.strata.fleet.reconcile;

import io.strata.protocol.task.Task;

/**
 * A task the planner wants run.
 *
 * @param task the task; its id is derived from its content, so planning twice gives one task
 * @param priority why it exists
 * @param executor the pool whose agent runs it (the target of a copy, else the pool worked on)
 * @param bytes bytes it moves, for throttling (0 for scans and deletions)
 */
public record PlannedTask(Task task, TaskPriority priority, String executor, long bytes) {}
