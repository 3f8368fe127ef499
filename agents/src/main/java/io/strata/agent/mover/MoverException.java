package io.strata.agent.mover;

import io.strata.protocol.task.TaskFailure;

/**
 * A failure of mover work, already classified. Thrown inside the mover and turned into a {@link
 * io.strata.protocol.task.TaskResult} by the runner; it never escapes the runner.
 */
public final class MoverException extends RuntimeException {

  private final transient TaskFailure failure;

  public MoverException(TaskFailure failure) {
    super(failure.reason(), null, false, false);
    this.failure = failure;
  }

  public TaskFailure failure() {
    return failure;
  }
}
