package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.agent.ControllerTlsFactory;
import io.strata.controller.Http;
import io.strata.controller.security.Hashes;
import io.strata.controller.security.Roles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller on HTTPS with a self-signed certificate made here with the JDK's keytool; an agent
 * that trusts it (controllerTls.caFile) heartbeats, following the follower it was given to the
 * leader's HTTPS address; one that does not trust it is refused the handshake.
 */
class TlsIT {
  @TempDir Path dir;
  private TestFleet fleet;

  @AfterEach
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("keytool %s: %s", args[0], output).isZero();
  }

  private JsonNode getJson(HttpClient https, String url) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + fleet.tokens.get(Roles.VIEWER))
            .build();
    HttpResponse<String> response = https.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void anAgentThatTrustsTheControllersCertificateHeartbeatsOverHttps() throws Exception {
    String password = Hashes.randomToken();
    Path keyStore = dir.resolve("controller.p12");
    Path ca = dir.resolve("controller.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "controller",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "controller",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        password,
        "-file",
        ca.toString());

    fleet = new TestFleet(dir, 2);
    fleet.applicationConnector =
        "{type: https, port: 0, bindHost: 127.0.0.1, keyStorePath: %s, keyStorePassword: \"%s\","
                .formatted(keyStore, password)
            + " keyStoreType: PKCS12}";
    var leader = fleet.startController("replica-1");
    String url = "https://127.0.0.1:" + leader.port();
    ControllerTlsFactory trust = new ControllerTlsFactory();
    trust.setCaFile(ca.toString());
    HttpClient https = HttpClient.newBuilder().sslContext(trust.build(dir, Map.of())).build();
    await("replica-1 leads")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> getJson(https, url + "/api/v1/leader").get("leader").asBoolean());

    // The agent knows only the follower; the follower sends it to the leader's HTTPS address.
    var follower = fleet.startController("replica-2");
    String followerUrl = "https://127.0.0.1:" + follower.port();
    await("replica-2 names the leader's address")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        getJson(https, followerUrl + "/api/v1/leader")
                            .path("currentLeaderUrl")
                            .asText())
                    .isEqualTo(url));
    var trusting =
        fleet.startAgent("agent-a", 0, followerUrl, "controllerTls: {caFile: " + ca + "}");
    var untrusting = fleet.startAgent("agent-b", 1, url, "");

    await("agent-a up over https")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                getJson(https, url + "/api/v1/agents/agent-a").get("state").asText().equals("UP"));
    await("agent-a heartbeats the leader")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode status =
                  new ObjectMapper()
                      .readTree(
                          fleet
                              .as(Roles.METRICS)
                              .fetch("http://127.0.0.1:" + trusting.port() + "/status")
                              .body());
              assertThat(status.get("controllerUrl").asText()).isEqualTo(url + "/");
              assertThat(status.get("lastError").isNull()).as(status.toString()).isTrue();
              assertThat(status.at("/lastResponse/leaderUrl").isNull())
                  .as(status.toString())
                  .isTrue();
            });
    await("agent-b refused the controller's certificate, and says where")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        Http.get("http://127.0.0.1:" + untrusting.port() + "/admin/healthcheck")
                            .body())
                    .contains("SSLHandshakeException")
                    .contains("heartbeat to " + url + "/ failed"));
  }
}
