package io.strata.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.inventory.InventoryCollector;
import io.strata.agent.pool.PoolCensus;
import io.strata.agent.task.TaskRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A stand-in controller on loopback that answers heartbeats as the test says, and its agent. */
final class StandInController implements AutoCloseable {
  private final HttpServer server;

  /** Starts one that answers heartbeats with {@code handler}. */
  StandInController(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/agents/", handler);
    server.start();
  }

  /** Answers an exchange with {@code status} and a JSON body. */
  static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** Agent {@code node-1}, heartbeats every 10 s, reporting to this controller. */
  Agent agent(
      Path dir,
      TaskRunner runner,
      PoolDirectory pools,
      List<PoolCensus> censuses,
      PrometheusRegistry registry,
      Clock clock) {
    ObjectMapper json = Jackson.newObjectMapper();
    return new Agent(
        "node-1",
        "node-1",
        "http://127.0.0.1:1/metrics",
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        new ControllerClient("http://127.0.0.1:" + server.getAddress().getPort() + "/", json),
        new InventoryCollector(dir, List.of(dir)),
        censuses,
        new AgentMetrics(registry),
        runner,
        pools,
        clock);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
