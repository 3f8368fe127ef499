package io.strata.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.inventory.InventoryCollector;
import io.strata.agent.mover.MoverSettings;
import io.strata.agent.pool.PoolCensus;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.task.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A stand-in controller on loopback that answers heartbeats as the test says, and an agent with no
 * pools of its own reporting to it. Closing it closes the agent's task runner.
 */
final class StandInController implements AutoCloseable {
  private final HttpServer server;
  private TaskRunner runner;

  /** Starts one that answers heartbeats with {@code handler}. */
  StandInController(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/agents/", handler);
    server.start();
  }

  /**
   * A handler that keeps each heartbeat in {@code beats}, acknowledges every result it carries, and
   * leases {@code tasks.apply(n)} with its n-th answer, from 0.
   */
  static HttpHandler acknowledging(
      ObjectMapper json, List<JsonNode> beats, IntFunction<List<Task>> tasks) {
    return exchange -> {
      JsonNode beat = json.readTree(exchange.getRequestBody());
      beats.add(beat);
      List<String> results = new ArrayList<>();
      beat.path("results").forEach(r -> results.add(r.path("taskId").asText()));
      answer(
          exchange,
          200,
          json.writeValueAsBytes(
              new HeartbeatResponse(
                  30, 7, null, tasks.apply(beats.size() - 1), results, List.of())));
    };
  }

  /** Answers an exchange with {@code status} and a JSON body. */
  static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /**
   * Agent {@code node-1}, heartbeats every 10 s, reporting to this controller, with a task runner
   * of default settings (see {@link #runner}) that knows no pool.
   */
  Agent agent(Path dir, Clock clock, List<PoolCensus> censuses) {
    return agent(dir, clock, censuses, Duration.ofSeconds(10));
  }

  /** The same with heartbeats every {@code heartbeat}. */
  Agent agent(Path dir, Clock clock, List<PoolCensus> censuses, Duration heartbeat) {
    PrometheusRegistry registry = new PrometheusRegistry();
    PoolDirectory pools = new PoolDirectory(Map.of(), dir, Map.of());
    runner = new TaskRunner(pools, MoverSettings.defaults(), registry, clock);
    return new Agent(
        "node-1",
        "node-1",
        "http://127.0.0.1:1/metrics",
        heartbeat,
        Duration.ofMinutes(1),
        new ControllerClient(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/", Jackson.newObjectMapper()),
        new InventoryCollector(dir, List.of(dir)),
        censuses,
        new AgentMetrics(registry),
        runner,
        pools,
        clock);
  }

  /** The task runner of the agent made last. */
  TaskRunner runner() {
    return runner;
  }

  @Override
  public void close() {
    if (runner != null) {
      runner.close();
    }
    server.stop(0);
  }
}
