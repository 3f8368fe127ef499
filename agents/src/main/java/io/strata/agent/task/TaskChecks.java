package io.strata.agent.task;

import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import java.util.Optional;

/** Checks a task's shape before any I/O. Pure. */
public final class TaskChecks {

  private TaskChecks() {}

  /** Why the task cannot run as issued, or empty. */
  public static Optional<String> problem(Task task) {
    if (task.dataset() == null || task.dataset().isBlank()) {
      return Optional.of("task " + task.id() + " names no dataset");
    }
    if (task.sourcePool() == null || task.sourcePool().isBlank()) {
      return Optional.of("task " + task.id() + " names no source pool");
    }
    if (task.type() == TaskType.COPY
        && (task.targetPool() == null || task.targetPool().equals(task.sourcePool()))) {
      return Optional.of(
          "copy task " + task.id() + " needs a target pool different from its source pool");
    }
    if (task.repair() && (task.type() != TaskType.COPY || task.keys().isEmpty())) {
      return Optional.of(
          "task "
              + task.id()
              + " is marked as a repair, which only a copy of named keys can be: a repair"
              + " overwrites what the target holds");
    }
    for (String key : task.keys()) {
      if (key == null || key.isEmpty()) {
        return Optional.of("task " + task.id() + " lists an empty key");
      }
      if (!task.range().contains(key)) {
        return Optional.of(
            "key " + key + " is outside the shard " + task.range() + " of task " + task.id());
      }
    }
    return Optional.empty();
  }
}
