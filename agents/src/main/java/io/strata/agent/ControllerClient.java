package io.strata.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.agent.api.Heartbeat;
import io.strata.agent.api.HeartbeatResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * The agent's side of the controller's HTTP API. Sends the agent's bearer token, when it has one,
 * and trusts the given SSL context for an {@code https://} controller. Thread-safe.
 */
public final class ControllerClient {
  private final URI base;
  private final ObjectMapper json;
  private final HttpClient http;
  private final String token;

  public ControllerClient(String controllerUrl, ObjectMapper json) {
    this(controllerUrl, json, null, null);
  }

  /**
   * @param token the agent's bearer token, or null to send none
   * @param ssl what to trust for an https controller, or null for the JVM's default
   */
  public ControllerClient(String controllerUrl, ObjectMapper json, String token, SSLContext ssl) {
    this.base = URI.create(controllerUrl.endsWith("/") ? controllerUrl : controllerUrl + "/");
    this.json = json;
    this.token = token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  /**
   * Sends one heartbeat.
   *
   * @throws IOException when the controller cannot be reached or refuses the heartbeat; the message
   *     carries the status and the controller's error text
   */
  public HeartbeatResponse heartbeat(Heartbeat beat) throws IOException, InterruptedException {
    URI uri =
        base.resolve(
            "api/v1/agents/"
                + URLEncoder.encode(beat.agentId(), StandardCharsets.UTF_8)
                + "/heartbeat");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(beat)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "controller answered "
              + response.statusCode()
              + " to heartbeat: "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return json.readValue(response.body(), HeartbeatResponse.class);
  }
}
