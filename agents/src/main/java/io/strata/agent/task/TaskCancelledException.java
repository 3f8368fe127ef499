package io.strata.agent.task;

import java.io.InterruptedIOException;

/** Raised inside streams and waits when the task was cancelled; unwinds the transfer. */
public final class TaskCancelledException extends InterruptedIOException {
  public TaskCancelledException() {
    super("task cancelled");
  }
}
