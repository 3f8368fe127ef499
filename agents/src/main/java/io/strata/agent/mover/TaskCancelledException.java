package io.strata.agent.mover;

import java.io.InterruptedIOException;

/** Raised inside streams and waits when the task was cancelled; unwinds the transfer. */
final class TaskCancelledException extends InterruptedIOException {
  TaskCancelledException() {
    super("task cancelled");
  }
}
