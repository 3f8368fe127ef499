package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a fleet with known secrets (pool keys, passwords, tokens), exercises the API, and scans the
 * logs, the request log, every answer, {@code /metrics}, the configuration and the audit records
 * for them.
 */
class SecretScanIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> controller;
  private EmbeddedApp<io.strata.agent.AgentConfiguration> agent;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new TestFleet(dir, 2);
    fleet.logLevel = "INFO";
    controller = fleet.startController("replica-1");
    agent = fleet.startAgent("agent-a", 0, controller.port());
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void noSecretOfTheFleetAppearsInLogsAnswersMetricsOrTheAuditTrail() throws Exception {
    await("agent-a up")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet
                    .as(Roles.VIEWER)
                    .getJson("http://127.0.0.1:" + controller.port() + "/api/v1/agents/agent-a")
                    .get("state")
                    .asText()
                    .equals("UP"));
    List<String> secrets = new ArrayList<>(fleet.secrets());
    var login = Http.login(controller.port(), "admin", fleet.passwords.get(Roles.ADMIN));
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    secrets.add(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')));
    Http.login(controller.port(), "admin", fleet.passwords.get(Roles.VIEWER));
    Http.login(controller.port(), fleet.passwords.get(Roles.OPERATOR), "x");
    String base = "http://127.0.0.1:" + controller.port();
    for (String path :
        List.of(
            "/api/v1/cluster-map",
            "/api/v1/cluster-map/pools",
            "/api/v1/agents",
            "/api/v1/datasets",
            "/api/v1/leader",
            "/api/v1/session")) {
      fleet.as(Roles.ADMIN).fetch(base + path);
    }
    fleet.as(Roles.AUDITOR).fetch(base + "/api/v1/audit");
    fleet.as(Roles.METRICS).fetch(base + "/metrics");
    fleet.as(Roles.METRICS).fetch("http://127.0.0.1:" + agent.port() + "/status");
    fleet.as(Roles.METRICS).fetch("http://127.0.0.1:" + agent.port() + "/metrics");
    AuditTrail trail = TestFleet.auditTrail(controller);
    await("audit records flushed to the pools")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> trail.spooled().isEmpty());

    Map<String, String> scanned = new java.util.LinkedHashMap<>();
    scanned.put("log", Files.readString(fleet.logFile()));
    scanned.put("request log", Files.readString(dir.resolve("requests.log")));
    synchronized (Http.BODIES) {
      scanned.put("answers", String.join("\n", Http.BODIES));
    }
    scanned.put("audit", Http.JSON.writeValueAsString(trail.store().listAll()));
    scanned.put("config", Files.readString(dir.resolve("replica-1.yml")));
    assertThat(scanned.get("audit")).contains("\"action\":\"login\"");
    assertThat(scanned.get("answers")).contains("strata_cluster_map_epoch");
    assertThat(scanned.get("log")).contains("agent agent-a registered");
    for (var e : scanned.entrySet()) {
      for (String secret : secrets) {
        assertThat(e.getValue()).as("%s holds no secret", e.getKey()).doesNotContain(secret);
      }
    }
  }
}
