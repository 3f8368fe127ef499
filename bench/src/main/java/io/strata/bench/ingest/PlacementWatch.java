package io.strata.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Which landed objects are fully placed, asked of the controller's locate API ({@code GET
 * /api/v1/datasets/{d}/objects/{key}/locations}): an object is placed once every pool its policy's
 * current phase wants holds a copy. Only objects not yet placed are asked again, a few at a time,
 * so a round costs a handful of HEADs per pending object.
 *
 * <p>Thread-safe: writers call {@link #landed} while one thread calls {@link #poll}.
 */
final class PlacementWatch implements AutoCloseable {
  /** An object written to its landing pool at {@code landedNanos}. */
  record Landed(String hospital, String dataset, String key, long landedNanos) {}

  /** An object's time from landing to placement, in seconds. */
  record Placed(String hospital, String key, double lagSeconds) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService askers = Executors.newFixedThreadPool(4);
  private final String base;
  private final String sessionCookie;
  private final Map<String, Landed> pending = new ConcurrentHashMap<>();
  private final List<Placed> placed = new ArrayList<>();

  private PlacementWatch(String base, String sessionCookie) {
    this.base = base;
    this.sessionCookie = sessionCookie;
  }

  /** Logs in to the controller at {@code base} (http://host:port) as {@code user}. */
  static PlacementWatch login(String base, String user, String password)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String body = new ObjectMapper().writeValueAsString(Map.of("user", user, "password", password));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String cookie = r.headers().firstValue("Set-Cookie").orElse(null);
    if (r.statusCode() != 200 || cookie == null) {
      throw new IOException("login to " + base + " failed: " + r.statusCode() + " " + r.body());
    }
    return new PlacementWatch(base, cookie.split(";", 2)[0]);
  }

  void landed(Landed object) {
    pending.put(object.dataset() + "/" + object.key(), object);
  }

  int pending() {
    return pending.size();
  }

  /** Objects placed so far, with their lag. */
  synchronized List<Placed> placed() {
    return List.copyOf(placed);
  }

  /** Asks once about every object not yet placed; records those now placed. */
  void poll() throws InterruptedException {
    List<Future<?>> asked = new ArrayList<>();
    for (Map.Entry<String, Landed> e : pending.entrySet()) {
      asked.add(
          askers.submit(
              () -> {
                if (isPlaced(e.getValue())) {
                  long now = System.nanoTime();
                  pending.remove(e.getKey());
                  synchronized (this) {
                    placed.add(
                        new Placed(
                            e.getValue().hospital(),
                            e.getValue().key(),
                            (now - e.getValue().landedNanos()) / 1e9));
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : asked) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        // A failed ask leaves the object pending: the next round asks again.
      }
    }
  }

  private boolean isPlaced(Landed object) throws IOException, InterruptedException {
    String url =
        base
            + "/api/v1/datasets/"
            + object.dataset()
            + "/objects/"
            + URLEncoder.encode(object.key(), StandardCharsets.UTF_8).replace("%2F", "/")
            + "/locations";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Cookie", sessionCookie)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return false;
    }
    JsonNode where = json.readTree(r.body());
    Set<String> known = new HashSet<>();
    where.path("known").forEach(c -> known.add(c.path("pool").asText()));
    List<String> desired = new ArrayList<>();
    where.path("desired").forEach(p -> desired.add(p.asText()));
    return !desired.isEmpty() && known.containsAll(desired);
  }

  @Override
  public void close() {
    askers.shutdownNow();
  }
}
