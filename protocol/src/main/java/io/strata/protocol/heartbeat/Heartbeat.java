package io.strata.protocol.heartbeat;

import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskResult;
import java.time.Instant;
import java.util.List;

/**
 * The message an agent sends to the controller every heartbeat interval. The first one after start
 * registers the agent.
 *
 * @param agentId the agent's id, unique in the fleet (by default the node's host name)
 * @param node the id of the node domain it runs on in the topology, when configured
 * @param version the agent's software version
 * @param metricsUrl where the agent serves its Prometheus metrics
 * @param sequence increases by one per heartbeat since the agent started
 * @param sentAt when the agent sent it (the agent's clock; the controller uses its own)
 * @param inventory what the node has
 * @param pools what the agent saw of the pools it serves
 * @param progress the tasks running now
 * @param results tasks finished since the leader last acknowledged them; sent again until it does
 */
public record Heartbeat(
    String agentId,
    String node,
    String version,
    String metricsUrl,
    long sequence,
    Instant sentAt,
    Inventory inventory,
    List<PoolReport> pools,
    List<TaskProgress> progress,
    List<TaskResult> results) {
  public Heartbeat {
    pools = pools == null ? List.of() : List.copyOf(pools);
    progress = progress == null ? List.of() : List.copyOf(progress);
    results = results == null ? List.of() : List.copyOf(results);
  }

  /** This heartbeat without its task results (which only the leader records). */
  public Heartbeat withoutResults() {
    return results.isEmpty()
        ? this
        : new Heartbeat(
            agentId, node, version, metricsUrl, sequence, sentAt, inventory, pools, progress, null);
  }
}
