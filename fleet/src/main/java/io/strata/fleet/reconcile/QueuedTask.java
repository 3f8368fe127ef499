package io.strata.fleet.reconcile;

import io.strata.protocol.task.Task;
import java.time.Instant;
import java.util.Comparator;

/**
 * A task in the queue, as stored in ZooKeeper.
 *
 * @param task the task
 * @param priority why it exists
 * @param executor the pool whose agent runs it
 * @param bytes bytes it moves
 * @param agent the agent holding its lease; null while queued
 * @param leaseUntil when the lease lapses; null while queued
 * @param notBefore not leased before this time (back-off after a failure)
 * @param attempts how many leases ended without success
 * @param createdAt when it was queued
 * @param cancelReason why the leader asked the agent holding the lease to stop it; null unless it
 *     did. Stored, so that a new leader goes on asking.
 */
public record QueuedTask(
    Task task,
    TaskPriority priority,
    String executor,
    long bytes,
    String agent,
    Instant leaseUntil,
    Instant notBefore,
    int attempts,
    Instant createdAt,
    String cancelReason) {

  /** The order the queue leases in: priority first, then the oldest, then by id. */
  public static final Comparator<QueuedTask> ORDER =
      Comparator.comparing(QueuedTask::priority)
          .thenComparing(QueuedTask::createdAt)
          .thenComparing(q -> q.task().id());

  public boolean leased() {
    return agent != null;
  }

  /** Whether the agent holding the lease was asked to stop the task. */
  public boolean cancelling() {
    return cancelReason != null;
  }

  public QueuedTask leasedTo(String agentId, Instant until) {
    return new QueuedTask(
        task,
        priority,
        executor,
        bytes,
        agentId,
        until,
        notBefore,
        attempts,
        createdAt,
        cancelReason);
  }

  public QueuedTask returned(Instant retryAt) {
    return new QueuedTask(
        task, priority, executor, bytes, null, null, retryAt, attempts + 1, createdAt, null);
  }

  /** Back in the queue without counting an attempt: its agent stopped it unasked. */
  public QueuedTask released() {
    return new QueuedTask(
        task, priority, executor, bytes, null, null, notBefore, attempts, createdAt, null);
  }

  public QueuedTask cancelled(String reason) {
    return new QueuedTask(
        task, priority, executor, bytes, agent, leaseUntil, notBefore, attempts, createdAt, reason);
  }
}
