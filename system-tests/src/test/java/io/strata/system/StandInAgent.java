package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.agent.AgentApplication;
import io.strata.controller.Http;
import io.strata.demo.EmbeddedApp;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A test playing agent {@code agentId} of a {@link TestFleet}, serving a pool no real agent serves,
 * against the fleet's controllers: it sends the heartbeats the test writes and takes leases of
 * tasks it never runs, so that a test decides what the agent reports and sees what the controller
 * answers.
 */
final class StandInAgent {
  private final String agentId;
  private final String pool;
  private final Http client;
  private String node;
  private Inventory inventory = new Inventory("node-x", 2, 1L << 30, 0.5, null, null);

  /** Agent {@code agentId}, with the token the fleet made for it, serving {@code pool}. */
  StandInAgent(TestFleet fleet, String agentId, String pool) {
    this.agentId = agentId;
    this.pool = pool;
    this.client = fleet.as(agentId);
  }

  /**
   * Reports {@code node} as its node and {@code inventory} as the node's, from the next beat on.
   */
  StandInAgent on(String node, Inventory inventory) {
    this.node = node;
    this.inventory = inventory;
    return this;
  }

  /** What a stand-in agent reports of a scan it runs. */
  static TaskProgress runningScan(String taskId) {
    return new TaskProgress(taskId, TaskType.SCAN, TaskState.RUNNING, 0, -1, 0, -1, true, 0, null);
  }

  /**
   * The JSON of a heartbeat reporting the tasks it runs and the results it has: a test plays an
   * agent that never finishes its tasks.
   */
  String heartbeat(long sequence, List<TaskProgress> running, List<TaskResult> results)
      throws Exception {
    return AgentApplication.json()
        .writeValueAsString(
            new Heartbeat(
                agentId,
                node,
                "test",
                null,
                sequence,
                Instant.now(),
                inventory,
                List.of(new PoolReport(pool, true, null, 0, 0)),
                running,
                results));
  }

  /** Sends {@link #heartbeat} to {@code controller}; returns the answer, which must be a 200. */
  JsonNode beat(
      EmbeddedApp<?> controller,
      long sequence,
      List<TaskProgress> running,
      List<TaskResult> results)
      throws Exception {
    return post(controller, heartbeat(sequence, running, results));
  }

  /** Posts {@code heartbeat} to {@code controller}; returns the answer, which must be a 200. */
  JsonNode post(EmbeddedApp<?> controller, String heartbeat) throws Exception {
    var response = client.postJson(heartbeatUrl(controller), heartbeat);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  /**
   * Sends heartbeats to {@code controller} until the reconciler leases a scan of the pool, and
   * returns the scan's id. The stand-in never runs it.
   */
  String leaseAScan(EmbeddedApp<?> controller) {
    String url = heartbeatUrl(controller);
    String[] leased = new String[1];
    org.awaitility.Awaitility.await("a scan of " + pool + " leased to " + agentId)
        .atMost(TestFleet.TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              var answer = client.postJson(url, heartbeat(1, List.of(), List.of())).body();
              var tasks = AgentApplication.json().readTree(answer).path("tasks");
              leased[0] = tasks.isEmpty() ? null : tasks.get(0).path("id").asText();
              return leased[0] != null;
            });
    return leased[0];
  }

  private String heartbeatUrl(EmbeddedApp<?> controller) {
    return "http://127.0.0.1:" + controller.port() + "/api/v1/agents/" + agentId + "/heartbeat";
  }
}
