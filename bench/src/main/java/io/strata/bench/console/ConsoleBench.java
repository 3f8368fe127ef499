package io.strata.bench.console;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.bench.BenchArgs;
import io.strata.bench.Samples;
import io.strata.bench.fleet.PoolEndpoint;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.StrataApplication;
import io.strata.controller.security.Hashes;
import io.strata.demo.EmbeddedApp;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.runtime.RequiredTool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code strata bench console [--racks 10000] [--agents 50000] [--rooms 20] [--loads 3]
 * [--refreshes 5] [--threads 8] [--settle-s 300]}: the console in headless Chromium against the
 * production controller of a fleet of {@code --racks} racks (one pool each, in rows of 50, in
 * {@code --rooms} rooms of one site) and {@code --agents} agents (spread over the racks' nodes,
 * each registered by a real heartbeat over HTTP, their pools reporting their fill).
 *
 * <p>Measured in the browser's own timeline: {@code first_paint_ms}, from the start of the page's
 * navigation (logged in) to the heatmap drawn with every rack, the median of {@code --loads} loads;
 * {@code refresh_bytes} and {@code refresh_ms}, what one idle refresh round transfers (the {@code
 * transferSize} of its API reads: headers and bodies as they crossed the wire) and how long it
 * takes, medians of {@code --refreshes} rounds after the first. Last line: {@code console:
 * racks=<n> first_paint_ms=<t> refresh_bytes=<b> refresh_ms=<t>}.
 */
public final class ConsoleBench {
  private static final String USAGE =
      "strata bench console [--racks N] [--agents N] [--rooms N] [--loads N] [--refreshes N]"
          + " [--threads N] [--settle-s S]";
  private static final int RACKS_PER_ROW = 50;
  private static final Duration WAIT = Duration.ofMinutes(5);

  private ConsoleBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs opts = BenchArgs.parse(args, USAGE);
    int racks = opts.integer("racks", 10_000, 1);
    int agents = opts.integer("agents", 50_000, racks);
    int rooms = Math.min(racks, opts.integer("rooms", 20, 1));
    int loads = opts.integer("loads", 3, 1);
    int refreshes = opts.integer("refreshes", 5, 1);
    int threads = opts.integer("threads", 8, 1);
    int settleS = opts.integer("settle-s", 300, 1);
    Path dir = Files.createTempDirectory("strata-bench-console");
    String password = "bench-" + Hashes.randomToken();
    ConsoleFleet fleet = new ConsoleFleet(racks, agents, rooms, RACKS_PER_ROW);
    try (PoolEndpoint pools = new PoolEndpoint();
        TestingServer zookeeper =
            new TestingServer(
                new InstanceSpec(
                    dir.resolve("zookeeper").toFile(),
                    -1,
                    -1,
                    -1,
                    true,
                    -1,
                    -1,
                    -1,
                    Map.of("clientPortAddress", "127.0.0.1"),
                    "127.0.0.1"),
                true)) {
      Path config = fleet.write(dir, zookeeper.getConnectString(), pools.url(), password);
      long t0 = System.nanoTime();
      try (EmbeddedApp<ControllerConfiguration> controller =
          EmbeddedApp.start(new StrataApplication(), config)) {
        String base = "http://127.0.0.1:" + controller.port();
        System.out.printf(
            Locale.ROOT,
            "fleet: %d racks in %d rooms, %d agents, %d nodes; controller up in %.1f s%n",
            racks,
            rooms,
            agents,
            fleet.nodes(),
            (System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        beatOnce(base, fleet, threads);
        System.out.printf(
            Locale.ROOT,
            "registered %d agents by heartbeat in %.1f s%n",
            agents,
            (System.nanoTime() - t1) / 1e9);
        awaitSteady(base, fleet, Duration.ofSeconds(settleS));
        measure(base, dir, racks, password, loads, refreshes);
      }
    }
  }

  /** One heartbeat per agent, over HTTP with its own token, from {@code threads} threads. */
  private static void beatOnce(String base, ConsoleFleet fleet, int threads) throws Exception {
    ObjectMapper json = Jackson.newObjectMapper();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> work = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        work.add(
            pool.submit(
                () -> {
                  for (int a = next.getAndIncrement();
                      a < fleet.agents();
                      a = next.getAndIncrement()) {
                    String id = fleet.agent(a);
                    HttpResponse<String> answer =
                        http.send(
                            HttpRequest.newBuilder(
                                    URI.create(base + "/api/v1/agents/" + id + "/heartbeat"))
                                .header("Authorization", "Bearer " + fleet.token(id))
                                .header("Content-Type", "application/json")
                                .POST(
                                    HttpRequest.BodyPublishers.ofByteArray(
                                        json.writeValueAsBytes(beat(fleet, a))))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200) {
                      throw new IllegalStateException(
                          "heartbeat of "
                              + id
                              + " answered "
                              + answer.statusCode()
                              + ": "
                              + answer.body());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Agent {@code a}'s heartbeat; the first agent of a rack reports its rack's pool. */
  private static Heartbeat beat(ConsoleFleet fleet, int a) {
    String id = fleet.agent(a);
    Inventory inventory = new Inventory(id, 64, 256L << 30, 1.0, List.of(), List.of());
    int rack = fleet.rackOfAgent(a);
    List<PoolReport> reports =
        fleet.firstAgentOfRack(a)
            ? List.of(
                new PoolReport(fleet.pool(rack), true, null, fleet.usedBytes(rack), 1000L + rack))
            : List.of();
    return new Heartbeat(
        id,
        fleet.node(a),
        "0.1.0",
        null,
        1,
        Instant.now(),
        inventory,
        reports,
        List.of(),
        List.of());
  }

  /**
   * Waits until the racks' summary counts every agent up and stays unchanged for a few seconds: the
   * console is measured idle, as an operator's screen left open is.
   */
  private static void awaitSteady(String base, ConsoleFleet fleet, Duration settle)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + settle.toNanos();
    String lastTag = null;
    String seen = "nothing read";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> racks =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/racks"))
                  .header("Authorization", "Bearer " + fleet.token("viewer"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String tag = racks.headers().firstValue("ETag").orElse("");
      long up = countUp(racks.body());
      seen = up + " of " + fleet.agents() + " agents up, racks' ETag " + tag;
      if (up == fleet.agents() && tag.equals(lastTag)) {
        return;
      }
      lastTag = up == fleet.agents() ? tag : null;
      Thread.sleep(3000);
    }
    // Said on stdout too: the controller's logging takes over stderr.
    System.out.println("the fleet did not settle within " + settle + ": " + seen);
    throw new IllegalStateException("the fleet did not settle within " + settle + ": " + seen);
  }

  private static long countUp(String racks) throws Exception {
    long up = 0;
    for (var r : Jackson.newObjectMapper().readTree(racks).path("racks")) {
      up += r.path("agentsUp").asLong();
    }
    return up;
  }

  /** Logs in, loads the console {@code loads} times, then watches idle refreshes. */
  private static void measure(
      String base, Path dir, int racks, String password, int loads, int refreshes)
      throws Exception {
    ChromeDriver driver = browser(dir);
    try {
      driver.get(base + "/login.html");
      await("the login page")
          .atMost(WAIT)
          .until(() -> !driver.findElements(By.id("user")).isEmpty());
      driver.findElement(By.id("user")).sendKeys("viewer");
      driver.findElement(By.id("password")).sendKeys(password);
      driver.findElement(By.cssSelector("button[type=submit]")).click();
      await("logged in").atMost(WAIT).until(() -> !driver.getCurrentUrl().contains("/login.html"));
      String drawn = String.valueOf(racks);
      double[] paints = new double[loads];
      for (int i = 0; i < loads; i++) {
        // Every load starts afresh: a new navigation, no answer kept by the page.
        driver.get(base + "/");
        await("the heatmap of every rack")
            .atMost(WAIT)
            .ignoreExceptions()
            .until(
                () -> {
                  var heatmap = driver.findElements(By.id("heatmap"));
                  return !heatmap.isEmpty()
                      && drawn.equals(heatmap.get(0).getDomAttribute("data-drawn"));
                });
        driver.executeScript("performance.setResourceTimingBufferSize(100000)");
        paints[i] =
            ((Number)
                    driver.executeScript(
                        "return performance.getEntriesByName('strata:heatmap-drawn')[0].startTime"))
                .doubleValue();
        System.out.printf(
            Locale.ROOT,
            "load %d: heatmap of %d racks drawn at %.0f ms%n",
            i + 1,
            racks,
            paints[i]);
      }
      // The first round read everything; the next ones are idle.
      await("idle refreshes")
          .atMost(WAIT)
          .until(
              () ->
                  ((Number)
                              driver.executeScript(
                                  "return performance.getEntriesByName('strata:refresh').length"))
                          .intValue()
                      >= refreshes + 1);
      @SuppressWarnings("unchecked")
      List<List<Number>> rounds =
          (List<List<Number>>)
              driver.executeScript(
                  """
                  const api = performance.getEntriesByType('resource')
                      .filter(r => r.name.includes('/api/v1/'));
                  return performance.getEntriesByName('strata:refresh').map(m => {
                    const reads = api.filter(r => r.startTime >= m.startTime
                        && r.startTime <= m.startTime + m.duration);
                    return [m.duration, reads.reduce((s, r) => s + r.transferSize, 0), reads.length];
                  });
                  """);
      double[] bytes = new double[refreshes];
      double[] millis = new double[refreshes];
      for (int i = 0; i < rounds.size(); i++) {
        List<Number> round = rounds.get(i);
        System.out.printf(
            Locale.ROOT,
            "refresh %d%s: %d reads, %d bytes, %.0f ms%n",
            i + 1,
            i == 0 ? " (first, reads everything)" : "",
            round.get(2).intValue(),
            round.get(1).longValue(),
            round.get(0).doubleValue());
        if (i >= 1 && i <= refreshes) {
          millis[i - 1] = round.get(0).doubleValue();
          bytes[i - 1] = round.get(1).doubleValue();
        }
      }
      Samples paint = Samples.of(paints);
      System.out.println(
          String.format(
              Locale.ROOT,
              "console: racks=%d first_paint_ms=%.0f refresh_bytes=%.0f refresh_ms=%.0f",
              racks,
              paint.median(),
              Samples.of(bytes).median(),
              Samples.of(millis).median()));
    } finally {
      driver.quit();
    }
  }

  /** Debian's headless Chromium through Debian's chromedriver, both found on the PATH. */
  private static ChromeDriver browser(Path dir) throws Exception {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(RequiredTool.CHROMEDRIVER.path().toFile())
            .usingAnyFreePort()
            .withLogFile(dir.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(RequiredTool.CHROMIUM.path().toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
        "--lang=en-US",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    return new ChromeDriver(service, options);
  }
}
