package io.strata.agent.mover;

import io.strata.agent.task.CancellationToken;
import io.strata.agent.task.ProgressTracker;
import io.strata.protocol.task.Task;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What one running task carries through the mover.
 *
 * @param task the task
 * @param epoch the cluster-map epoch the agent holds, read afresh at each call: it moves on while
 *     the task runs, and is {@link #NO_EPOCH} once the agent has lost touch with the controller
 * @param progress the task's live counters
 * @param cancellation set when the task is cancelled
 */
public record TaskContext(
    Task task, LongSupplier epoch, ProgressTracker progress, CancellationToken cancellation) {
  /** The epoch of an agent that has not heard from the controller within its lease. */
  public static final long NO_EPOCH = -1;

  public TaskContext {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(cancellation, "cancellation");
  }

  /** The cluster-map epoch the agent holds now. */
  public long currentEpoch() {
    return epoch.getAsLong();
  }
}
