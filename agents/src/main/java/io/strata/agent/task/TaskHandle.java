package io.strata.agent.task;

import io.strata.agent.mover.CancellationToken;
import java.util.concurrent.CompletableFuture;

/** A task submitted to the {@link TaskRunner}. Thread-safe. */
public final class TaskHandle {

  private final Task task;
  private final ProgressTracker progress;
  private final CancellationToken cancellation = new CancellationToken();
  private final CompletableFuture<TaskResult> result = new CompletableFuture<>();

  TaskHandle(Task task, ProgressTracker progress) {
    this.task = task;
    this.progress = progress;
  }

  public Task task() {
    return task;
  }

  /** Completes, never exceptionally, when the task has finished. */
  public CompletableFuture<TaskResult> result() {
    return result.copy();
  }

  public TaskProgress progress() {
    return progress.snapshot();
  }

  /** Asks the task to stop; it finishes as CANCELLED unless it was already done. */
  public void cancel() {
    cancellation.cancel();
  }

  CancellationToken cancellation() {
    return cancellation;
  }

  ProgressTracker tracker() {
    return progress;
  }

  void complete(TaskResult finished) {
    result.complete(finished);
  }
}
