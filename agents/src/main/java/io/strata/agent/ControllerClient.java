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

/** The agent's side of the controller's HTTP API. Thread-safe. */
public final class ControllerClient {
  private final URI base;
  private final ObjectMapper json;
  private final HttpClient http;

  public ControllerClient(String controllerUrl, ObjectMapper json) {
    this.base = URI.create(controllerUrl.endsWith("/") ? controllerUrl : controllerUrl + "/");
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
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
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(beat)))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
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
