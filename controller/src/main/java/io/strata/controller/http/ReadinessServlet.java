package io.strata.controller.http;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /ready} on the admin port: 200 while this replica's own checks pass (its ZooKeeper
 * session), 503 otherwise, with each check's result. What a load balancer or a Kubernetes readiness
 * probe asks. Not {@code /healthcheck}: that one also lists every pool and answers 500 while any
 * pool is unreachable, and a pool outage must not take the replicas that deal with it out of
 * service.
 */
public final class ReadinessServlet extends HttpServlet {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final transient HealthCheckRegistry registry;
  private final List<String> checks;

  /**
   * @param registry where the checks are registered
   * @param checks the names of the checks readiness follows
   */
  public ReadinessServlet(HealthCheckRegistry registry, List<String> checks) {
    this.registry = registry;
    this.checks = List.copyOf(checks);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    boolean ready = true;
    Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    for (String name : checks) {
      HealthCheck.Result result = registry.runHealthCheck(name);
      ready &= result.isHealthy();
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("healthy", result.isHealthy());
      shown.put("message", result.getMessage());
      results.put(name, shown);
    }
    response.setStatus(ready ? 200 : 503);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    JSON.writeValue(response.getOutputStream(), Map.of("ready", ready, "checks", results));
  }
}
