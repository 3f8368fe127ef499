package io.strata.controller.reconcile;

import io.strata.agent.task.Task;
import java.time.Instant;

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
    Instant createdAt) {

  public boolean leased() {
    return agent != null;
  }

  QueuedTask leasedTo(String agentId, Instant until) {
    return new QueuedTask(
        task, priority, executor, bytes, agentId, until, notBefore, attempts, createdAt);
  }

  QueuedTask returned(Instant retryAt) {
    return new QueuedTask(
        task, priority, executor, bytes, null, null, retryAt, attempts + 1, createdAt);
  }
}
