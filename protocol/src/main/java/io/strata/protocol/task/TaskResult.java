package io.strata.protocol.task;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished task reports back to the controller. Its size does not grow with the task's keys:
 * keys are counted per status, and named one by one only for statuses that need a look (see {@link
 * KeyStatus#named()}), up to {@link KeyTally#NAMED_PER_STATUS} per status.
 *
 * @param taskId the task's id
 * @param type the task's type
 * @param state {@link TaskState#SUCCEEDED}, {@link TaskState#FAILED} or {@link TaskState#CANCELLED}
 * @param scan the summary of a scan; null for other types or when it failed
 * @param counts keys and bytes per status, of copy, verify and delete-copy tasks
 * @param keys the outcomes of the keys whose status is named, by status and then in key order
 * @param failure why the task failed; null unless {@code state} is FAILED
 */
public record TaskResult(
    String taskId,
    TaskType type,
    TaskState state,
    ScanSummary scan,
    Map<KeyStatus, KeyTally.Count> counts,
    List<KeyOutcome> keys,
    TaskFailure failure) {
  public TaskResult {
    Map<KeyStatus, KeyTally.Count> copy = new EnumMap<>(KeyStatus.class);
    if (counts != null) {
      copy.putAll(counts);
    }
    counts = Collections.unmodifiableMap(copy);
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  public static TaskResult scanned(Task task, ScanSummary summary) {
    return new TaskResult(task.id(), task.type(), TaskState.SUCCEEDED, summary, null, null, null);
  }

  public static TaskResult cancelled(Task task) {
    return new TaskResult(task.id(), task.type(), TaskState.CANCELLED, null, null, null, null);
  }

  /** A task that failed as a whole, before or without any key's outcome. */
  public static TaskResult failed(Task task, TaskFailure failure) {
    return new TaskResult(task.id(), task.type(), TaskState.FAILED, null, null, null, failure);
  }

  /** A task that went through its keys; {@code failure} is null unless {@code state} is FAILED. */
  public static TaskResult of(Task task, TaskState state, KeyTally tally, TaskFailure failure) {
    return new TaskResult(
        task.id(), task.type(), state, null, tally.counts(), tally.named(), failure);
  }

  /** How many keys ended with {@code status}. */
  public long count(KeyStatus status) {
    KeyTally.Count count = counts.get(status);
    return count == null ? 0 : count.keys();
  }

  /** How many keys the task went through, of all statuses. */
  public long total() {
    return counts.values().stream().mapToLong(KeyTally.Count::keys).sum();
  }

  /** The bytes of the keys that ended with {@code status}, where their sizes were known. */
  public long bytes(KeyStatus status) {
    KeyTally.Count count = counts.get(status);
    return count == null ? 0 : count.bytes();
  }

  /** The named outcomes with the given status (none for statuses that are only counted). */
  public List<KeyOutcome> keysWith(KeyStatus status) {
    return keys.stream().filter(k -> k.status() == status).toList();
  }
}
