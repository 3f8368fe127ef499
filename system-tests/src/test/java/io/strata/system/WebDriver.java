package io.strata.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.runtime.RequiredTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A headless Chromium driven through chromedriver's W3C WebDriver protocol, spoken over HTTP
 * directly: enough to open pages, type, click and read the rendered DOM. Must be closed.
 */
final class WebDriver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final Process driver;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String session;

  /**
   * Starts chromedriver and a browser session.
   *
   * @throws AssertionError when chromium or chromedriver is not installed, saying how to install it
   */
  WebDriver(Path profile) throws Exception {
    Path chromedriver = RequiredTool.CHROMEDRIVER.path();
    Path chromium = RequiredTool.CHROMIUM.path();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    driver =
        new ProcessBuilder(chromedriver.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromedriver.log").toFile())
            .start();
    base = "http://127.0.0.1:" + port;
    JsonNode created = null;
    long deadline = System.nanoTime() + TestFleet.TIMEOUT.toNanos();
    while (created == null) {
      try {
        created =
            call(
                "POST",
                "/session",
                Map.of(
                    "capabilities",
                    Map.of(
                        "alwaysMatch",
                        Map.of(
                            "browserName",
                            "chrome",
                            "goog:chromeOptions",
                            Map.of(
                                "binary",
                                chromium.toString(),
                                "args",
                                List.of(
                                    "--headless",
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--disable-quic",
                                    "--no-first-run",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--user-data-dir=" + profile))))));
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        // chromedriver is still starting; it answers within a second or two.
        driver.waitFor(100, TimeUnit.MILLISECONDS);
      }
    }
    session = created.get("value").get("sessionId").asText();
  }

  private JsonNode call(String method, String path, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  void open(String url) throws Exception {
    call("POST", "/session/" + session + "/url", Map.of("url", url));
  }

  String currentUrl() throws Exception {
    return call("GET", "/session/" + session + "/url", null).get("value").asText();
  }

  private String find(String css) throws Exception {
    return call(
            "POST",
            "/session/" + session + "/element",
            Map.of("using", "css selector", "value", css))
        .get("value")
        .get(ELEMENT)
        .asText();
  }

  void type(String css, String text) throws Exception {
    call("POST", "/session/" + session + "/element/" + find(css) + "/value", Map.of("text", text));
  }

  void click(String css) throws Exception {
    call("POST", "/session/" + session + "/element/" + find(css) + "/click", Map.of());
  }

  /** The text of the element {@code css} selects as a reader sees it: empty while it is hidden. */
  String visibleText(String css) throws Exception {
    return call("GET", "/session/" + session + "/element/" + find(css) + "/text", null)
        .get("value")
        .asText();
  }

  /** The DOM as the page's scripts left it. */
  String page() throws Exception {
    return call("GET", "/session/" + session + "/source", null).get("value").asText();
  }

  @Override
  public void close() throws Exception {
    try {
      call("DELETE", "/session/" + session, null);
    } finally {
      driver.destroy();
      if (!driver.waitFor(10, TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    }
  }
}
