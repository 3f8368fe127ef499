package io.strata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.agent.ControllerTlsFactory;
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
 * that trusts it (controllerTls.caFile) heartbeats, one that does not is refused the handshake.
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
    var controller = fleet.startController("replica-1");
    String url = "https://127.0.0.1:" + controller.port();
    fleet.startAgent("agent-a", 0, url, "controllerTls: {caFile: " + ca + "}");
    var untrusting = fleet.startAgent("agent-b", 1, url, "");

    ControllerTlsFactory trust = new ControllerTlsFactory();
    trust.setCaFile(ca.toString());
    HttpClient https = HttpClient.newBuilder().sslContext(trust.build(dir, Map.of())).build();
    HttpRequest agentA =
        HttpRequest.newBuilder(URI.create(url + "/api/v1/agents/agent-a"))
            .header("Authorization", "Bearer " + fleet.tokens.get(Roles.VIEWER))
            .build();
    await("agent-a up over https")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> https.send(agentA, HttpResponse.BodyHandlers.ofString()).body().contains("UP"));
    await("agent-b refused the controller's certificate")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                Http.get("http://127.0.0.1:" + untrusting.port() + "/admin/healthcheck")
                    .body()
                    .contains("SSLHandshakeException"));
  }
}
