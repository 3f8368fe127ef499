package io.strata.agent.task;

import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskResult;
import java.util.concurrent.CompletableFuture;

/** A task submitted to the {@link TaskRunner}. Thread-safe. */
public final class TaskHandle {

  private final Task task;
  private final ProgressTracker progress;
  private final CancellationToken cancellation = new CancellationToken();
  private final CompletableFuture<TaskResult> result = new CompletableFuture<>();

  public TaskHandle(Task task, ProgressTracker progress) {
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

  public CancellationToken cancellation() {
    return cancellation;
  }

  public ProgressTracker tracker() {
    return progress;
  }

  public void complete(TaskResult finished) {
    result.complete(finished);
  }
}
