package io.strata.fleet.view;

import io.strata.protocol.heartbeat.Heartbeat;
import java.time.Instant;

/**
 * What the controller stores for one agent.
 *
 * @param heartbeat the last heartbeat received, without its task results
 * @param receivedAt when a controller replica received it (the controller's clock)
 * @param firstSeen when the agent first registered
 */
public record AgentRecord(Heartbeat heartbeat, Instant receivedAt, Instant firstSeen) {}
