package io.strata.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.heartbeat.WorkAnswer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The agent's side of the controller's HTTP API. Sends the agent's bearer token, when it has one,
 * and trusts the given SSL context for an {@code https://} controller. Thread-safe.
 */
public final class ControllerClient {
  private static final int SUMMARY_CHARS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> configured;
  private final AtomicInteger next = new AtomicInteger();
  private volatile URI base;
  private final ObjectMapper json;
  private final HttpClient http;
  private final String token;

  public ControllerClient(String controllerUrls, ObjectMapper json) {
    this(controllerUrls, json, null, null);
  }

  /**
   * @param controllerUrls one or more base URLs of controller replicas, comma-separated
   * @param token the agent's bearer token, or null to send none
   * @param ssl what to trust for an https controller, or null for the JVM's default
   */
  public ControllerClient(String controllerUrls, ObjectMapper json, String token, SSLContext ssl) {
    this.configured =
        Arrays.stream(controllerUrls.split(","))
            .map(String::trim)
            .filter(u -> !u.isEmpty())
            .map(u -> URI.create(u.endsWith("/") ? u : u + "/"))
            .toList();
    this.base = configured.get(0);
    this.json = json;
    this.token = token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  /**
   * Sends the following heartbeats to {@code leaderUrl}: the replica that answered is not the
   * leader, and tasks come only from the leader. Should the leader die, the agent is pointed on
   * again by whichever replica answers next.
   */
  public void follow(String leaderUrl) {
    URI next = URI.create(leaderUrl.endsWith("/") ? leaderUrl : leaderUrl + "/");
    if (!next.equals(base)) {
      base = next;
    }
  }

  /** After a failed heartbeat: try the next configured replica. */
  public void failOver() {
    base = configured.get(Math.floorMod(next.incrementAndGet(), configured.size()));
  }

  /** The controller replica heartbeats go to now. */
  public URI base() {
    return base;
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
              + summary(response.body()));
    }
    return json.readValue(response.body(), HeartbeatResponse.class);
  }

  /**
   * Waits for work ({@code GET api/v1/agents/{id}/work}) on the replica heartbeats go to now, for
   * at most {@code wait}, without holding a thread.
   *
   * @return completes with true when work was queued for one of {@code pools}, false when the wait
   *     ended without; exceptionally with {@link UnsupportedOperationException} when the replica
   *     knows no such wait (an older controller), with an {@link IOException} on any other failure
   */
  public CompletableFuture<Boolean> awaitWork(String agentId, Set<String> pools, Duration wait) {
    StringBuilder query = new StringBuilder("?waitMs=").append(wait.toMillis());
    for (String pool : pools) {
      query.append("&pool=").append(URLEncoder.encode(pool, StandardCharsets.UTF_8));
    }
    URI uri =
        base.resolve(
            "api/v1/agents/"
                + URLEncoder.encode(agentId, StandardCharsets.UTF_8)
                + "/work"
                + query);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(wait.plus(Duration.ofSeconds(10))).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              int status = response.statusCode();
              if (status == 404 || status == 405) {
                throw new UnsupportedOperationException(
                    "controller answered " + status + " to a wait for work");
              }
              if (status / 100 != 2) {
                throw new CompletionException(
                    new IOException(
                        "controller answered "
                            + status
                            + " to a wait for work: "
                            + summary(response.body())));
              }
              try {
                return json.readValue(response.body(), WorkAnswer.class).work();
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            });
  }

  /**
   * What an error answer says, in one line for the log: the message of a JSON error, else the text
   * without markup, at most {@value #SUMMARY_CHARS} characters. A server stopping answers with a
   * whole HTML page, which would otherwise fill fifteen lines of every agent's log.
   */
  static String summary(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      var message = JSON.readTree(text).path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (IOException notJson) {
      // shown as text below
    }
    String plain = text.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    return plain.length() <= SUMMARY_CHARS ? plain : plain.substring(0, SUMMARY_CHARS) + "...";
  }
}
