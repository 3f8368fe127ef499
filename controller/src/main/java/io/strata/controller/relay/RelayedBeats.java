package io.strata.controller.relay;

import io.strata.protocol.heartbeat.Heartbeat;
import java.util.List;

/**
 * What a follower replica hands the leader ({@code POST /api/v1/relay/heartbeats}): the task side
 * of heartbeats it took from agents it authenticated ({@link HeartbeatRelay#taskSide}).
 *
 * @param beats at most {@link HeartbeatRelay#MAX_BATCH}, in the order the answers come back
 */
public record RelayedBeats(List<Heartbeat> beats) {}
