package io.strata.fleet.view;

import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import java.time.Instant;
import java.util.List;

/**
 * An agent as the API shows it.
 *
 * @param id the agent's id
 * @param node its node in the topology
 * @param state up or down, by its lease
 * @param lastHeartbeat when the controller last heard from it
 * @param firstSeen when it first registered
 * @param sequence the sequence number of its last heartbeat
 * @param version its software version
 * @param metricsUrl where it serves Prometheus metrics
 * @param inventory its node's inventory at the last heartbeat
 * @param pools what it saw of its pools
 */
public record AgentView(
    String id,
    String node,
    AgentState state,
    Instant lastHeartbeat,
    Instant firstSeen,
    long sequence,
    String version,
    String metricsUrl,
    Inventory inventory,
    List<PoolReport> pools) {
  public static AgentView of(AgentRecord r, AgentState state) {
    var beat = r.heartbeat();
    return new AgentView(
        beat.agentId(),
        beat.node(),
        state,
        r.receivedAt(),
        r.firstSeen(),
        beat.sequence(),
        beat.version(),
        beat.metricsUrl(),
        beat.inventory(),
        beat.pools());
  }
}
