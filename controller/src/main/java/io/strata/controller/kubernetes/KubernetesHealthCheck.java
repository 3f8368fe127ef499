package io.strata.controller.kubernetes;

import com.codahale.metrics.health.HealthCheck;

/**
 * Healthy while the controller reads the storage nodes from Kubernetes and, on the leader, could
 * apply what their labels say. Unhealthy, with the reason, while the API server cannot be reached
 * or refuses the controller (RBAC), before the nodes were first listed, and while some node's
 * labels cannot be used; the cluster map then stays as it was.
 */
public class KubernetesHealthCheck extends HealthCheck {
  private final NodeWatch nodes;
  private final AgentBudgets budgets;
  private final AgentRollout rollout;

  /**
   * @param budgets the agents' disruption budgets; null when they are not kept
   */
  public KubernetesHealthCheck(NodeWatch nodes, AgentBudgets budgets) {
    this(nodes, budgets, null);
  }

  /**
   * @param rollout the agents' managed DaemonSet; null when it is not managed
   */
  public KubernetesHealthCheck(NodeWatch nodes, AgentBudgets budgets, AgentRollout rollout) {
    this.nodes = nodes;
    this.budgets = budgets;
    this.rollout = rollout;
  }

  @Override
  protected Result check() {
    NodeWatch.Status status = nodes.status();
    if (status.error() != null) {
      return Result.unhealthy(status.error());
    }
    if (!status.synced()) {
      return Result.unhealthy("the storage nodes have not been listed yet");
    }
    if (budgets != null && budgets.error() != null) {
      return Result.unhealthy(budgets.error());
    }
    if (rollout != null && rollout.error() != null) {
      return Result.unhealthy(rollout.error());
    }
    if (!status.problems().isEmpty()) {
      return Result.unhealthy(
          "nodes whose labels were not applied: " + String.join("; ", status.problems()));
    }
    return Result.healthy("%d storage nodes", status.nodes());
  }
}
