package io.strata.agent;

import io.strata.agent.api.HeartbeatResponse;
import io.strata.agent.api.PoolReport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /status}: what this agent last heard from the controller and saw of its pools. */
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
   */
  public record Status(
      String agentId,
      String controllerUrl,
      HeartbeatResponse lastResponse,
      String lastError,
      Map<String, PoolReport> pools) {}

  @GET
  public Status status() {
    return new Status(
        agent.agentId(),
        agent.controllerUrl(),
        agent.lastResponse(),
        agent.lastError(),
        agent.poolReports());
  }
}
