package io.strata.controller.relay;

import io.strata.protocol.heartbeat.HeartbeatResponse;
import java.util.List;

/**
 * The leader's answer to {@link RelayedBeats}: for each heartbeat, in order, the tasks, the
 * acknowledged results and the cancellations for its agent, or null when the leader could not
 * record it (the agent sends its results again). Lease and map epoch are the follower's to fill.
 */
public record RelayAnswers(List<HeartbeatResponse> answers) {}
