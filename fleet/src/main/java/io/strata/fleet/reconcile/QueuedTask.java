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
 * @param policy the policy whose bandwidth cap its bytes count against; null for none
 * @param rank its policy's movement priority: among tasks of one priority, higher goes first
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
    String cancelReason,
    String policy,
    int rank) {

  /**
   * The order the queue leases in: priority first, then the higher policy rank ({@code
   * movement.priority}), then the oldest, then by id.
   */
  public static final Comparator<QueuedTask> ORDER =
      Comparator.comparing(QueuedTask::priority)
          .thenComparing(QueuedTask::rank, Comparator.reverseOrder())
          .thenComparing(QueuedTask::createdAt)
          .thenComparing(q -> q.task().id());

  /** A planned task entering the queue at {@code now}, waiting for a lease. */
  public static QueuedTask waiting(PlannedTask planned, Instant now) {
    return new QueuedTask(
        planned.task(),
        planned.priority(),
        planned.executor(),
        planned.bytes(),
        null,
        null,
        null,
        0,
        now,
        null,
        planned.policy(),
        planned.rank());
  }

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
        cancelReason,
        policy,
        rank);
  }

  public QueuedTask returned(Instant retryAt) {
    return new QueuedTask(
        task,
        priority,
        executor,
        bytes,
        null,
        null,
        retryAt,
        attempts + 1,
        createdAt,
        null,
        policy,
        rank);
  }

  /** Back in the queue without counting an attempt: its agent stopped it unasked. */
  public QueuedTask released() {
    return new QueuedTask(
        task, priority, executor, bytes, null, null, notBefore, attempts, createdAt, null, policy,
        rank);
  }

  public QueuedTask cancelled(String reason) {
    return new QueuedTask(
        task,
        priority,
        executor,
        bytes,
        agent,
        leaseUntil,
        notBefore,
        attempts,
        createdAt,
        reason,
        policy,
        rank);
  }
}
