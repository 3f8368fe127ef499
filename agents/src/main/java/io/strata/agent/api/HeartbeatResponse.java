package io.strata.agent.api;

/**
 * The controller's answer to a heartbeat.
 *
 * @param leaseSeconds how long the controller waits for the next heartbeat before it marks the
 *     agent down
 * @param mapEpoch the cluster-map epoch the agent must act on
 */
public record HeartbeatResponse(long leaseSeconds, long mapEpoch) {}
