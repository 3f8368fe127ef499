package io.strata.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.runtime.RequiredTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server ({@code prometheus} on PATH, Debian package prometheus) as a child
 * process on loopback, with its data in a given directory, and a client for its HTTP API.
 *
 * <p>Must be closed; closing stops the process with a bounded wait.
 */
final class Prometheus implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path log;
  private final String base;

  private Prometheus(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  /**
   * Starts Prometheus scraping every second: the controller as job {@code strata-controller}, the
   * agents as job {@code strata-agent}, with {@code ruleFiles} loaded.
   *
   * @throws AssertionError when Prometheus is not installed, saying how to install it
   */
  static Prometheus start(Path dir, String controller, List<String> agents, List<Path> ruleFiles)
      throws IOException {
    StringBuilder config =
        new StringBuilder(
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
            """);
    for (Path f : ruleFiles) {
      config.append("  - '").append(f.toAbsolutePath()).append("'\n");
    }
    config
        .append("scrape_configs:\n  - job_name: strata-controller\n")
        .append("    static_configs: [{targets: ['")
        .append(controller)
        .append("']}]\n  - job_name: strata-agent\n    static_configs: [{targets: ['")
        .append(String.join("', '", agents))
        .append("']}]\n");
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int port = freePort();
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                RequiredTool.PROMETHEUS.path().toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new Prometheus(process, log, port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** True once the server answers /-/ready; throws when the process died. */
  boolean ready() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("prometheus exited:\n" + log());
    }
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The server's output so far, for failure messages. */
  String log() throws IOException {
    return Files.readString(log);
  }

  /** An instant query; the whole answer, errors included ({@code status} says which). */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** The values of {@code label} on the series matching {@code selector}. */
  JsonNode labelValues(String label, String selector) throws IOException, InterruptedException {
    return api(
        "/api/v1/label/"
            + label
            + "/values?match[]="
            + URLEncoder.encode(selector, StandardCharsets.UTF_8));
  }

  JsonNode api(String path) throws IOException, InterruptedException {
    return Sources.JSON.readTree(get(path).body());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(Promtool.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(Promtool.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
