package io.strata.protocol.heartbeat;

import io.strata.protocol.task.Task;
import java.util.List;
import java.util.Map;

/**
 * The controller's answer to a heartbeat.
 *
 * @param leaseSeconds how long the controller waits for the next heartbeat before it marks the
 *     agent down
 * @param mapEpoch the cluster-map epoch the agent must act on
 * @param leaderUrl where the leader serves, when the answering replica is not it (tasks and results
 *     go to the leader); null when the answering replica leads
 * @param tasks tasks leased to this agent; each must be run once and its result reported
 * @param acknowledged ids of the results the leader has recorded; the agent forgets those
 * @param cancel ids of tasks the agent must stop
 * @param pools where the pools named by the tasks are, for pools the agent may not know
 */
public record HeartbeatResponse(
    long leaseSeconds,
    long mapEpoch,
    String leaderUrl,
    List<Task> tasks,
    List<String> acknowledged,
    List<String> cancel,
    Map<String, PoolAddress> pools) {
  public HeartbeatResponse {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    acknowledged = acknowledged == null ? List.of() : List.copyOf(acknowledged);
    cancel = cancel == null ? List.of() : List.copyOf(cancel);
    pools = pools == null ? Map.of() : Map.copyOf(pools);
  }

  /** An answer without pool addresses. */
  public HeartbeatResponse(
      long leaseSeconds,
      long mapEpoch,
      String leaderUrl,
      List<Task> tasks,
      List<String> acknowledged,
      List<String> cancel) {
    this(leaseSeconds, mapEpoch, leaderUrl, tasks, acknowledged, cancel, Map.of());
  }

  /**
   * This answer with {@code leaseSeconds} and {@code mapEpoch}: a follower's, for an answer the
   * leader gave.
   */
  public HeartbeatResponse withLease(long leaseSeconds, long mapEpoch) {
    return new HeartbeatResponse(
        leaseSeconds, mapEpoch, leaderUrl, tasks, acknowledged, cancel, pools);
  }

  /** An answer that only renews the lease. */
  public HeartbeatResponse(long leaseSeconds, long mapEpoch) {
    this(leaseSeconds, mapEpoch, null, List.of(), List.of(), List.of(), Map.of());
  }
}
