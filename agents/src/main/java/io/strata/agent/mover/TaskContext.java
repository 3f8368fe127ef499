package io.strata.agent.mover;

import io.strata.agent.task.ProgressTracker;
import io.strata.agent.task.Task;
import java.util.Objects;

/**
 * What one running task carries through the mover.
 *
 * @param task the task
 * @param currentEpoch the cluster-map epoch the agent holds now
 * @param progress the task's live counters
 * @param cancellation set when the task is cancelled
 */
public record TaskContext(
    Task task, long currentEpoch, ProgressTracker progress, CancellationToken cancellation) {
  public TaskContext {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(cancellation, "cancellation");
  }
}
