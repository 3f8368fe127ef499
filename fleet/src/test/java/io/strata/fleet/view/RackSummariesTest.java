package io.strata.fleet.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.reconcile.PlannedTask;
import io.strata.fleet.reconcile.QueuedTask;
import io.strata.fleet.reconcile.TaskPriority;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RackSummariesTest {
  private static final ClusterMap MAP =
      TopologyFile.parse(
          "test",
          """
          tiers: [{name: hot}]
          domains:
            - {id: r, level: region}
            - {id: s1, level: site, parent: r}
            - {id: room-a, level: room, parent: s1}
            - {id: row-1, level: row, parent: room-a}
            - {id: rack-1, level: rack, parent: row-1}
            - {id: node-1, level: node, parent: rack-1}
            - {id: rack-2, level: rack, parent: room-a}
            - {id: node-2, level: node, parent: rack-2}
          pools:
            - {id: p1, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 100B}
            - {id: p2, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 100B}
            - {id: p3, domain: node-2, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 100B}
          """);

  private static PoolView pool(String id, String rack, String state, long used, Boolean reachable) {
    return new PoolView(
        id,
        "hot",
        "s1",
        "room-a",
        rack,
        "n",
        "e",
        state,
        100,
        used,
        0,
        used / 100.0,
        reachable,
        null,
        null);
  }

  private static AgentView agent(String id, String node, AgentState state) {
    return new AgentView(
        id, node, state, Instant.EPOCH, Instant.EPOCH, 0, "v", null, null, List.of());
  }

  private static QueuedTask copy(String id, String from, String to, TaskPriority priority) {
    Task task = Task.copy(id, "d", KeyRange.ALL, from, to, 1);
    return QueuedTask.waiting(new PlannedTask(task, priority, to, 0), Instant.EPOCH);
  }

  @Test
  void sumsPoolsAgentsAndTasksPerRackWithItsPlaceInTheTree() {
    List<RackSummary> racks =
        RackSummaries.of(
            MAP,
            List.of(
                pool("p1", "rack-1", "up", 30, true),
                pool("p2", "rack-1", "draining", 50, true),
                pool("p3", "rack-2", "up", -1, false)),
            List.of(
                agent("a1", "node-1", AgentState.UP),
                agent("a2", "node-2", AgentState.DOWN),
                agent("elsewhere", "no-such-node", AgentState.UP)),
            List.of(
                copy("t1", "p1", "p3", TaskPriority.DATA_AT_RISK),
                copy("t2", "p1", "p2", TaskPriority.REBALANCE)));

    assertThat(racks)
        .containsExactly(
            new RackSummary("rack-1", "s1", "room-a", "row-1", 0.4, 1, 1, 0, 1, 0, 1, 2),
            new RackSummary("rack-2", "s1", "room-a", null, -1, 0, 0, 1, 0, 1, 0, 1));
  }
}
