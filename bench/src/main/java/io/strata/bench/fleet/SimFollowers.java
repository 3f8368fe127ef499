package io.strata.bench.fleet;

import io.strata.controller.StrataApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Follower replicas of the controller, each the production {@link StrataApplication} in a process
 * of its own (so that its CPU time is its own), configured as the leader is but with the relay on:
 * the simulated agents beat to them, and they hand the leader the task side of the heartbeats in
 * batches. Started after the leader, so that they follow.
 *
 * <p>Must be closed: every process it started ends with it.
 */
final class SimFollowers implements AutoCloseable {
  /**
   * The environment variable with more JVM options for every follower, split at white space; {@code
   * {i}} in one stands for the follower's index.
   */
  static final String JAVA_OPTS = "STRATA_FOLLOWER_JAVA_OPTS";

  private final List<Process> processes = new ArrayList<>();
  private final List<URI> bases = new ArrayList<>();

  /**
   * Starts {@code count} followers and waits until each answers.
   *
   * @param heapMb each one's maximum heap
   * @param viewerToken a viewer's token, to ask each whether it serves
   */
  SimFollowers(
      FleetLayout layout,
      Path dir,
      String zookeeper,
      int count,
      int heapMb,
      String viewerToken,
      Duration within)
      throws Exception {
    try {
      for (int i = 0; i < count; i++) {
        int port = freePort();
        Path config = layout.writeFollower(zookeeper, i, port);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heapMb + "m");
        command.add("-XX:+UseSerialGC");
        // More JVM options for the followers, e.g. a flight recording to profile them.
        String more = System.getenv(JAVA_OPTS);
        if (more != null && !more.isBlank()) {
          for (String option : more.trim().split("\\s+")) {
            command.add(option.replace("{i}", Integer.toString(i)));
          }
        }
        command.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                StrataApplication.class.getName(),
                "server",
                config.toString()));
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("follower-" + i + ".out").toFile());
        processes.add(builder.start());
        bases.add(URI.create("http://127.0.0.1:" + port + "/"));
      }
      awaitServing(viewerToken, within);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitServing(String viewerToken, Duration within) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + within.toNanos();
    for (int i = 0; i < bases.size(); i++) {
      while (true) {
        if (!processes.get(i).isAlive()) {
          throw new IllegalStateException(
              "follower " + i + " exited with " + processes.get(i).exitValue() + "; see its .out");
        }
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(bases.get(i).resolve("api/v1/leader"))
                      .header("Authorization", "Bearer " + viewerToken)
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // Still starting.
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("follower " + i + " did not serve within " + within);
        }
        Thread.sleep(250);
      }
    }
  }

  /** Where the followers serve. */
  List<URI> bases() {
    return bases;
  }

  int count() {
    return processes.size();
  }

  /**
   * What the followers' metrics say they relayed so far: {@code [heartbeats answered, heartbeats
   * not answered, requests to the leader]}, summed over them.
   */
  long[] relayed(String metricsToken) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long[] sums = new long[3];
    for (URI base : bases) {
      String text =
          http.send(
                  HttpRequest.newBuilder(base.resolve("metrics"))
                      .header("Authorization", "Bearer " + metricsToken)
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      sums[0] += sample(text, "strata_controller_relayed_heartbeats_total{outcome=\"answered\"}");
      sums[1] += sample(text, "strata_controller_relayed_heartbeats_total{outcome=\"failed\"}");
      sums[2] += sample(text, "strata_controller_relay_batches_total");
    }
    return sums;
  }

  /** The value of the series {@code series} in a Prometheus text answer; 0 when absent. */
  static long sample(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  /** CPU seconds the followers' processes used so far, every thread of theirs counted. */
  double cpuSeconds() {
    double total = 0;
    for (Process p : processes) {
      total +=
          p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }
    return total;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }
}
