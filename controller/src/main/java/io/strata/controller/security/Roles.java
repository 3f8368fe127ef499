package io.strata.controller.security;

import java.util.List;

/**
 * The roles of Strata, least privilege first. Resource methods name the roles they admit in
 * {@code @RolesAllowed}; no role implies another, so every annotation lists each role it lets in.
 *
 * <ul>
 *   <li>{@link #VIEWER}: reads the fleet (cluster map, agents, datasets, leader).
 *   <li>{@link #OPERATOR}: what a viewer reads, plus drain, pause, weights, cancelling tasks.
 *   <li>{@link #PLANNER}: what a viewer reads, plus forecasts, reports, what-if.
 *   <li>{@link #ADMIN}: what a viewer reads, plus users, policies, pools.
 *   <li>{@link #AGENT}: only its own heartbeat and tasks.
 *   <li>{@link #AUDITOR}: the audit trail and nothing else, not even the cluster map.
 *   <li>{@link #METRICS}: only {@code /metrics}, for Prometheus.
 *   <li>{@link #REPLICA}: only hands the leader the heartbeats a follower replica took from its
 *       agents ({@code POST /api/v1/agents/heartbeats}), each from an agent the follower
 *       authenticated. A token of the controller replicas, never of a person.
 * </ul>
 */
public final class Roles {
  public static final String VIEWER = "viewer";
  public static final String OPERATOR = "operator";
  public static final String PLANNER = "planner";
  public static final String ADMIN = "admin";
  public static final String AGENT = "agent";
  public static final String AUDITOR = "auditor";
  public static final String METRICS = "metrics";
  public static final String REPLICA = "replica";

  /** Every role, in the order above. */
  public static final List<String> ALL =
      List.of(VIEWER, OPERATOR, PLANNER, ADMIN, AGENT, AUDITOR, METRICS, REPLICA);

  private Roles() {}

  /** Throws when {@code role} is not one of {@link #ALL}, naming where it was found. */
  static String check(String role, String where) {
    if (!ALL.contains(role)) {
      throw new IllegalArgumentException(
          where + ": unknown role '" + role + "'; allowed: " + String.join(", ", ALL));
    }
    return role;
  }
}
