package io.strata.agent.task;

import java.util.List;

/**
 * What a finished task reports back to the controller.
 *
 * @param taskId the task's id
 * @param type the task's type
 * @param state {@link TaskState#SUCCEEDED}, {@link TaskState#FAILED} or {@link TaskState#CANCELLED}
 * @param scan the summary of a scan; null for other types or when it failed
 * @param keys per-key outcomes of copy, verify and delete-copy tasks
 * @param failure why the task failed; null unless {@code state} is FAILED
 */
public record TaskResult(
    String taskId,
    TaskType type,
    TaskState state,
    ScanSummary scan,
    List<KeyOutcome> keys,
    TaskFailure failure) {
  public TaskResult {
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  public static TaskResult failed(Task task, TaskFailure failure, List<KeyOutcome> keys) {
    return new TaskResult(task.id(), task.type(), TaskState.FAILED, null, keys, failure);
  }

  /** The outcomes with the given status. */
  public List<KeyOutcome> keysWith(KeyStatus status) {
    return keys.stream().filter(k -> k.status() == status).toList();
  }
}
