package io.strata.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small HTTP client for tests: GET text or JSON from a local server, anonymously ({@code
 * Http.get}) or with a bearer token ({@code Http.bearer(token).get}). Every body it receives is
 * kept in {@link #BODIES}, so tests can scan everything the servers answered for secrets.
 */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public static final ObjectMapper JSON = Jackson.newObjectMapper();

  /** Every response body received, in order. */
  public static final List<String> BODIES = Collections.synchronizedList(new ArrayList<>());

  private final String authorization;

  private Http(String authorization) {
    this.authorization = authorization;
  }

  /** A client that sends {@code Authorization: Bearer token}. */
  public static Http bearer(String token) {
    return new Http("Bearer " + token);
  }

  public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return new Http(null).send("GET", url, null);
  }

  static HttpResponse<String> post(String url, String json)
      throws IOException, InterruptedException {
    return new Http(null).send("POST", url, json);
  }

  static JsonNode json(String url) throws IOException, InterruptedException {
    return new Http(null).getJson(url);
  }

  /** {@code POST /api/v1/session} on a local controller; the answer carries the session cookie. */
  public static HttpResponse<String> login(int port, String user, String password)
      throws IOException, InterruptedException {
    return new Http(null)
        .send(
            "POST",
            "http://127.0.0.1:" + port + "/api/v1/session",
            JSON.writeValueAsString(java.util.Map.of("user", user, "password", password)));
  }

  public HttpResponse<String> send(String method, String url, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    BODIES.add(response.body());
    return response;
  }

  public HttpResponse<String> fetch(String url) throws IOException, InterruptedException {
    return send("GET", url, null);
  }

  /** A GET whose body is binary (a report); it is not kept with {@link #BODIES}. */
  public HttpResponse<byte[]> fetchBytes(String url) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> postJson(String url, String json)
      throws IOException, InterruptedException {
    return send("POST", url, json);
  }

  public JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = fetch(url);
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
