package io.strata.agent;

import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /status}: what this agent last heard from the controller and saw of its pools. The
 * port is not authenticated, so it shows no object key: tasks appear by id, type, dataset, pools
 * and how many keys they name, never the keys or key ranges (keys can carry patient identifiers).
 */
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
public class AgentStatusResource {
  private final Agent agent;

  public AgentStatusResource(Agent agent) {
    this.agent = agent;
  }

  /**
   * The agent's status. Always 200.
   *
   * @param controllerUrl the controller replica its heartbeats go to now
   * @param lastResponse the controller's last answer, without object keys; null before the first
   */
  public record Status(
      String agentId,
      String controllerUrl,
      LastResponse lastResponse,
      String lastError,
      Map<String, PoolReport> pools) {}

  /**
   * The controller's last answer to a heartbeat, in summary.
   *
   * @param leaderUrl where the leader serves, when the answering replica did not lead
   * @param tasks the tasks it leased
   * @param acknowledged how many results it acknowledged
   * @param cancel the ids of the tasks it told the agent to stop
   */
  public record LastResponse(
      long leaseSeconds,
      long mapEpoch,
      String leaderUrl,
      List<LeasedTask> tasks,
      int acknowledged,
      List<String> cancel) {
    static LastResponse of(HeartbeatResponse response) {
      return response == null
          ? null
          : new LastResponse(
              response.leaseSeconds(),
              response.mapEpoch(),
              response.leaderUrl(),
              response.tasks().stream().map(LeasedTask::of).toList(),
              response.acknowledged().size(),
              response.cancel());
    }
  }

  /**
   * A leased task, without its keys.
   *
   * @param keys how many keys it names; 0 for a task over its shard's whole range
   */
  public record LeasedTask(
      String id,
      TaskType type,
      String dataset,
      String sourcePool,
      String targetPool,
      int keys,
      long epoch) {
    static LeasedTask of(Task task) {
      return new LeasedTask(
          task.id(),
          task.type(),
          task.dataset(),
          task.sourcePool(),
          task.targetPool(),
          task.keys().size(),
          task.epoch());
    }
  }

  @GET
  public Status status() {
    return new Status(
        agent.agentId(),
        agent.controllerUrl(),
        LastResponse.of(agent.lastResponse()),
        agent.lastError(),
        agent.poolReports());
  }
}
