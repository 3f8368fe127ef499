package io.strata.protocol.task;

import java.time.Duration;

/**
 * A snapshot of a task's progress, small enough to ride on every heartbeat. Totals grow while a
 * task is still listing its range, and it has no ETA until the listing has ended.
 *
 * @param taskId the task's id
 * @param type the task's type
 * @param state where the task is in its life cycle
 * @param objectsDone objects finished
 * @param objectsTotal objects known to be in the task's work
 * @param bytesDone bytes transferred or read
 * @param bytesTotal bytes known to be in the task's work
 * @param listing true while the task is still listing its range: the totals are what it has listed
 *     so far
 * @param bytesPerSecond average rate since the task started running
 * @param eta expected time to finish at that rate; null when it cannot be estimated
 */
public record TaskProgress(
    String taskId,
    TaskType type,
    TaskState state,
    long objectsDone,
    long objectsTotal,
    long bytesDone,
    long bytesTotal,
    boolean listing,
    double bytesPerSecond,
    Duration eta) {

  /**
   * Computes rate and ETA from counters; pure.
   *
   * @param elapsed time the task has been running
   */
  public static TaskProgress of(
      String taskId,
      TaskType type,
      TaskState state,
      long objectsDone,
      long objectsTotal,
      long bytesDone,
      long bytesTotal,
      boolean listing,
      Duration elapsed) {
    double seconds = elapsed.toNanos() / 1e9;
    double rate = seconds > 0 ? bytesDone / seconds : 0;
    Duration eta = null;
    if (state.isTerminal()) {
      eta = Duration.ZERO;
    } else if (!listing && rate > 0 && bytesTotal >= bytesDone) {
      eta = Duration.ofMillis((long) ((bytesTotal - bytesDone) / rate * 1000));
    }
    return new TaskProgress(
        taskId,
        type,
        state,
        objectsDone,
        objectsTotal,
        bytesDone,
        bytesTotal,
        listing && !state.isTerminal(),
        rate,
        eta);
  }
}
