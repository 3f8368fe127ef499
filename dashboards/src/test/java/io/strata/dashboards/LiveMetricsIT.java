package io.strata.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.demo.DemoFleet;
import io.strata.runtime.RequiredTool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and rules against a real Prometheus scraping the demo fleet (embedded ZooKeeper,
 * eight S3 pools, the controller and eight agents, all on free loopback ports): every panel query
 * and recording rule returns series, every alert expression is valid and its selectors return
 * series, and the exported metrics pass {@code promtool check metrics}. Panels and rules on the
 * waiting list ({@code waiting-for-metrics.yml}) only have to be valid, and are printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveMetricsIT {
  private static final Duration TIMEOUT = Promtool.TIMEOUT;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Path dir;
  private DemoFleet fleet;
  private Prometheus prometheus;
  private final List<Sources.Waiting> waiting = Sources.waiting();

  @BeforeAll
  void startFleetAndPrometheus(@TempDir Path tempDir) throws Exception {
    // Before the fleet starts: without them every test here fails at once, saying what to install.
    RequiredTool.PROMETHEUS.path();
    RequiredTool.PROMTOOL.path();
    dir = tempDir;
    fleet = DemoFleet.start(dir.resolve("demo"), DemoFleet.Ports.FREE, 2);
    fleet.awaitHospitals();
    List<String> agents = fleet.agentPorts().stream().map(p -> "127.0.0.1:" + p).toList();
    Path promDir = Files.createDirectories(dir.resolve("prometheus"));
    prometheus =
        Prometheus.start(
            promDir, "127.0.0.1:" + fleet.controllerPort(), agents, Sources.ruleFiles());
    await("prometheus ready").atMost(TIMEOUT).until(prometheus::ready);
    int pools = fleet.map().pools().size();
    await("every target scraped three times, every pool and agent known, rules evaluated twice")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(values("min(count_over_time(up[1m]))"))
                  .as("scrapes")
                  .allMatch(v -> v >= 3);
              assertThat(values("count(up == 1)")).as("targets up").containsExactly(1.0 + pools);
              assertThat(values("count(max by (pool) (strata_pool_reachable) == 1)"))
                  .as("pools reachable")
                  .containsExactly((double) pools);
              assertThat(values("count(max by (agent) (strata_agent_up) == 1)"))
                  .as("agents up")
                  .containsExactly((double) pools);
              assertThat(values("min(count_over_time(pool:strata_pool_used_bytes:max[1m]))"))
                  .as("evaluations of the recording rules")
                  .allMatch(v -> v >= 2);
            });
    System.out.println("Waiting for their metrics (checked for validity only):");
    waiting.forEach(w -> System.out.println("  " + w));
  }

  /**
   * Waits for the capacity planner's forecast: the leader samples the fleet every 10 s, and a trend
   * needs two samples after the agents' first census.
   */
  private void awaitForecast() {
    await("a tier and site with a forecast")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(values("count(strata_forecast_seconds_until_full)"))
                    .isNotEmpty()
                    .allMatch(v -> v >= 1));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  private List<Double> values(String promql) throws IOException, InterruptedException {
    JsonNode answer = prometheus.query(promql);
    List<Double> out = new ArrayList<>();
    answer.path("data").path("result").forEach(r -> out.add(r.path("value").path(1).asDouble()));
    return out;
  }

  /** Runs a query; returns the number of series, or a problem text. */
  private Object seriesOf(String promql) throws IOException, InterruptedException {
    JsonNode answer = prometheus.query(promql);
    if (!answer.path("status").asText().equals("success")) {
      return "invalid: " + answer.path("error").asText() + " in '" + promql + "'";
    }
    return answer.path("data").path("result").size();
  }

  @Test
  void everyPanelReturnsSeriesExceptTheWaitingList() throws Exception {
    awaitForecast();
    List<String> problems = new ArrayList<>();
    List<Sources.Variable> variables = Sources.variables();
    List<Sources.PanelTarget> targets = Sources.panelTargets();
    for (Sources.PanelTarget t : targets) {
      String expr = Sources.substitute(t, variables);
      Object series = seriesOf(expr);
      boolean isWaiting = waiting.stream().anyMatch(w -> w.covers(t));
      if (series instanceof String invalid) {
        problems.add(t.where() + ": " + invalid);
      } else if (!isWaiting && (int) series == 0) {
        problems.add(t.where() + ": no series for '" + expr + "'");
      } else if (isWaiting && (int) series > 0) {
        problems.add(t.where() + ": returns data now; take it off the waiting list");
      }
    }
    System.out.println("Checked " + targets.size() + " panel queries against the demo");
    assertThat(problems).isEmpty();
  }

  @Test
  void everyTemplateVariableHasValues() throws Exception {
    Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
    for (Sources.Variable v : Sources.variables()) {
      if (!v.type().equals("query")) {
        continue;
      }
      Matcher m = labelValues.matcher(v.query());
      assertThat(m.matches()).as(v.query()).isTrue();
      JsonNode answer = prometheus.labelValues(m.group(2), m.group(1));
      assertThat(answer.path("data").size()).as(v.dashboard() + " $" + v.name()).isPositive();
    }
  }

  @Test
  void everyRecordingRuleReturnsSeries() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Sources.Rule r : Sources.rules()) {
      if (!r.alert()) {
        Object series = seriesOf(r.expr());
        if (!(series instanceof Integer n) || n == 0) {
          problems.add(r.where() + ": " + series);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * Alert expressions return nothing while all is well, so each is checked in two parts: the whole
   * expression must be valid, and every selector in it must return series on the demo (for the
   * waiting list: at least one must not, or the entry is stale).
   */
  @Test
  void everyAlertIsValidAndItsSelectorsReturnSeriesExceptTheWaitingList() throws Exception {
    awaitForecast();
    List<String> problems = new ArrayList<>();
    for (Sources.Rule r : Sources.rules()) {
      if (!r.alert()) {
        continue;
      }
      if (seriesOf(r.expr()) instanceof String invalid) {
        problems.add(r.where() + ": " + invalid);
        continue;
      }
      boolean isWaiting = waiting.stream().anyMatch(w -> w.covers(r));
      List<String> empty = new ArrayList<>();
      for (String selector : PromQl.selectors(r.expr())) {
        Object series = seriesOf(selector);
        if (!(series instanceof Integer n) || n == 0) {
          empty.add(selector);
        }
      }
      if (!isWaiting && !empty.isEmpty()) {
        problems.add(r.where() + ": no series for " + empty);
      } else if (isWaiting && empty.isEmpty()) {
        problems.add(r.where() + ": its metrics are live now; take it off the waiting list");
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * Runs first, on the demo as it comes up: later, while its first copies are done and its next
   * transitions not yet due, StrataMovementStalled may rightly be pending; as it comes up, only
   * before its first copy (see {@link #forecastOr}).
   */
  @Test
  @Order(1)
  void rulesEvaluateWithoutErrorsAndNoAlertIsActiveOnTheHealthyDemo() throws Exception {
    await("every rule evaluated without error")
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<String> unhealthy = new ArrayList<>();
              for (JsonNode g : prometheus.api("/api/v1/rules").path("data").path("groups")) {
                for (JsonNode r : g.path("rules")) {
                  if (!r.path("health").asText().equals("ok")) {
                    unhealthy.add(
                        r.path("name").asText()
                            + " "
                            + r.path("health").asText()
                            + " "
                            + r.path("lastError").asText());
                  }
                }
              }
              assertThat(unhealthy).isEmpty();
            });
    assertThat(prometheus.api("/api/v1/rules").path("data").path("groups").size())
        .isEqualTo(
            (int) Sources.rules().stream().map(r -> r.file() + "/" + r.group()).distinct().count());
    // Rules are evaluated on their own schedule: a state computed just before the scrape that
    // explains it is evaluated again at the next round, so the check is repeated until it holds.
    await("no alert active but those the demo's start explains")
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(forecastOr(prometheus.api("/api/v1/alerts").path("data").path("alerts")))
                    .isEmpty());
  }

  /**
   * The alerts, less those of StrataForecastFullWithin90Days that say what the forecast says. The
   * demo's hospitals write their archives as it starts, so a tier may be forecast full within 90
   * days at that first rate: the alert must then be pending (it fires after an hour) for exactly
   * the tiers and sites forecast full within 90 days. Likewise StrataMovementStalled may be pending
   * (it fires after 30 minutes) while the demo's first shards wait for their copies and Prometheus
   * has seen no byte copied: none yet, or the first copies all before its first scrape of the
   * controller, whose counter it then first sees above zero and flat. Once it sees one more, the
   * rule's 15-minute rate is no longer zero.
   */
  private List<String> forecastOr(JsonNode alerts) throws IOException, InterruptedException {
    List<String> others = new ArrayList<>();
    for (JsonNode a : alerts) {
      String name = a.path("labels").path("alertname").asText();
      String tier = a.path("labels").path("tier").asText();
      String site = a.path("labels").path("site").asText();
      if (name.equals("StrataForecastFullWithin90Days")
          && a.path("state").asText().equals("pending")) {
        List<Double> seconds =
            values(
                "min without (instance, job) (strata_forecast_seconds_until_full{tier=\""
                    + tier
                    + "\", site=\""
                    + site
                    + "\"})");
        if (seconds.size() == 1 && seconds.get(0) < 90 * 86_400) {
          System.out.println(
              "Pending as forecast: "
                  + name
                  + " "
                  + tier
                  + "@"
                  + site
                  + ", "
                  + seconds.get(0) / 86_400
                  + " days");
          continue;
        }
      }
      if (name.equals("StrataMovementStalled") && a.path("state").asText().equals("pending")) {
        List<Double> moved = values("sum(increase(strata_moved_bytes_total[1h]))");
        if (moved.isEmpty() || moved.get(0) == 0) {
          System.out.println("Pending before a copy Prometheus has seen: " + name);
          continue;
        }
      }
      others.add(name + " " + a.path("state").asText() + " " + a.path("labels"));
    }
    return others;
  }

  @Test
  void exportedMetricsPassPromtoolCheckMetricsAndAreDocumented() throws Exception {
    String readme = Sources.text(Sources.README);
    for (int port : List.of(fleet.controllerPort(), fleet.agentPorts().get(0))) {
      String body = metrics(port);
      Path file = Files.writeString(dir.resolve("metrics-" + port + ".txt"), body);
      Promtool.Result result = Promtool.run(dir, file, "check", "metrics");
      assertThat(result.exitCode())
          .as("promtool check metrics on :" + port + "\n" + result.output())
          .isZero();
      Set<String> undocumented = new TreeSet<>();
      for (String line : body.split("\n")) {
        if (line.startsWith("# TYPE strata_")) {
          String name = line.split(" ")[2];
          String shown =
              line.endsWith(" counter") && !name.endsWith("_total") ? name + "_total" : name;
          if (!readme.contains("`" + shown + "`")) {
            undocumented.add(shown);
          }
        }
      }
      assertThat(undocumented).as("strata_ metrics of :" + port + " missing from README").isEmpty();
    }
  }

  private static String metrics(int port) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
