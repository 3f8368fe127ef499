package io.strata.fleet.view;

/** Whether an agent's lease is current. */
public enum AgentState {
  /** A heartbeat arrived within the lease. */
  UP,
  /** No heartbeat for longer than the lease. */
  DOWN
}
