package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.StrataApplication;
import io.strata.controller.capacity.CapacityHistory;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.runtime.s3.TestS3;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The purchase plan in the console, in a real browser: a fleet of two sites whose hot tier grew
 * over four weeks of capacity history, read by a planner as the API gives it, a group's projection
 * drawn when its row is opened, a what-if that onboards a hospital, a what-if the API refuses, and
 * the plan downloaded as a workbook. A viewer sees none of it.
 */
class PlanConsoleIT {
  private static final long MB = 1_000_000L;
  private static final int HISTORY_DAYS = 28;

  /** Samples an hour apart: the seeded history's newest is minutes old, so none is taken. */
  private static final String CAPACITY =
      "capacity:\n  sampleInterval: 1h\n  rackModels:\n"
          + "    - {name: nvme-2u, tier: hot-nvme, usable: 1GiB, powerKw: 3, cost: 50000,"
          + " leadTime: 14d}\n";

  private static final String ONBOARD =
      "{\"onboard\": [{\"dataset\": \"h99-imaging\", \"policy\": \"clinic\", \"perDay\": \"20MB\"}]}";

  /** The policy in force that a hospital is onboarded under: two copies on hot-nvme. */
  private static final String CLINIC =
      """
      policy: clinic
      datasets: ["h99-*"]
      recordClass: none
      phases: {0d: 2 × hot-nvme spread room}
      retention: {minimum: 0d}
      """;

  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> controller;
  private Http planner;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new TestFleet(dir, 3, PlanConsoleIT::topology);
    planner = fleet.as(Roles.PLANNER);
    Path policy = dir.resolve("clinic.yaml");
    Files.writeString(policy, CLINIC);
    fleet.reconcileYaml = fleet.reconcileYaml + "  policyFiles: [" + policy + "]\n";
    seedHistory();
    controller = fleet.startController("replica-1", new StrataApplication(), CAPACITY);
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  /**
   * Site-1 with two rooms of one 1 GiB pool each, site-2 with one; site-3's one pool is draining
   * (and nothing serves it), so its tier there has no usable capacity.
   */
  static String topology(List<String> endpoints) {
    StringBuilder sb =
        new StringBuilder(
            "tiers:\n  - {name: hot-nvme, fillCeiling: 0.85}\ndomains:\n"
                + "  - {id: region-1, level: region}\n"
                + "  - {id: site-1, level: site, parent: region-1}\n"
                + "  - {id: site-2, level: site, parent: region-1}\n"
                + "  - {id: site-3, level: site, parent: region-1}\n"
                + "  - {id: room-3, level: room, parent: site-3}\n"
                + "  - {id: rack-3, level: rack, parent: room-3}\n"
                + "  - {id: node-3, level: node, parent: rack-3}\n");
    StringBuilder pools = new StringBuilder("pools:\n");
    for (int i = 0; i < endpoints.size(); i++) {
      sb.append(
          "  - {id: room-%d, level: room, parent: %s}\n".formatted(i, i < 2 ? "site-1" : "site-2"));
      sb.append("  - {id: rack-%d, level: rack, parent: room-%d}\n".formatted(i, i));
      sb.append("  - {id: node-%d, level: node, parent: rack-%d}\n".formatted(i, i));
      pools.append(
          "  - {id: pool-%d, domain: node-%d, tier: hot-nvme, endpoint: \"%s\", capacity: 1GiB, credentials: \"file:pool.credentials\"}\n"
              .formatted(i, i, endpoints.get(i)));
    }
    pools.append(
        "  - {id: pool-3, domain: node-3, tier: hot-nvme, endpoint: \"http://127.0.0.1:9\", capacity: 1GiB, credentials: \"file:pool.credentials\", state: draining}\n");
    return sb.append(pools).toString();
  }

  /**
   * Four weeks of daily samples in the system dataset, as a leader would have written them: site-1
   * grows 15 MB a day, site-2 2 MB, each with a little noise so the intervals have a width.
   */
  private void seedHistory() throws Exception {
    MinioClient pool0 = TestS3.client(fleet.pools.get(0).endpoint().toString(), TestFleet.KEYS);
    TestFleet.makeBucket(pool0, "strata-system");
    Instant newest = Instant.now().minus(Duration.ofMinutes(10));
    for (int i = 0; i < HISTORY_DAYS; i++) {
      Instant at = newest.minus(Duration.ofDays(HISTORY_DAYS - 1 - i));
      long noise = ((i * 7919L) % 13 - 6) * MB;
      String sample =
          "{\"at\": \"%s\", \"pools\": [\"pool-0\", \"pool-1\", \"pool-2\"], \"used\": [%d, %d, %d]}"
              .formatted(
                  at,
                  300 * MB + i * 10 * MB + noise,
                  150 * MB + i * 5 * MB - noise / 2,
                  100 * MB + i * 2 * MB + noise / 3);
      byte[] body = sample.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      pool0.putObject(
          PutObjectArgs.builder()
              .bucket("strata-system")
              .object(CapacityHistory.key(at, "replica-0"))
              .stream(new ByteArrayInputStream(body), body.length, -1)
              .build());
    }
  }

  private String api(String path) {
    return "http://127.0.0.1:" + controller.port() + "/api/v1" + path;
  }

  /** Every cell of the rows of the table {@code id}, as the reader sees their text. */
  @SuppressWarnings("unchecked")
  private static List<List<String>> cells(Browser browser, String id) {
    return (List<List<String>>)
        browser.script(
            "return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr'))"
                + ".map(tr => Array.from(tr.cells).map(td => td.textContent));",
            id);
  }

  private static String money(double n) {
    return String.format(Locale.US, "%,.0f", n);
  }

  /** The orders of a plan as the console's table writes them. */
  private static List<List<String>> orders(JsonNode plan) {
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode o : plan.path("plan").path("orders")) {
      rows.add(
          List.of(
              o.path("orderBy").asText() + (o.path("late").asBoolean() ? " late" : ""),
              o.path("neededBy").asText(),
              o.path("tier").asText(),
              o.path("site").asText(),
              o.path("model").asText(),
              o.path("racks").asText(),
              money(o.path("cost").asDouble()),
              String.format(Locale.US, "%,.1f", o.path("powerKw").asDouble())));
    }
    return rows;
  }

  private static List<List<String>> quarters(JsonNode plan) {
    List<List<String>> rows = new ArrayList<>();
    double total = 0;
    for (Map.Entry<String, JsonNode> e : plan.path("plan").path("costByQuarter").properties()) {
      rows.add(List.of(e.getKey(), money(e.getValue().asDouble())));
      total += e.getValue().asDouble();
    }
    rows.add(List.of("total", money(total)));
    return rows;
  }

  private static JsonNode group(JsonNode plan, String tier, String site) {
    for (JsonNode g : plan.path("groups")) {
      if (g.path("tier").asText().equals(tier) && g.path("site").asText().equals(site)) {
        return g;
      }
    }
    throw new AssertionError("no group " + tier + "@" + site + " in " + plan);
  }

  private static void awaitPlan(Browser browser, String which, List<List<String>> orders) {
    await("the " + which + " plan on show")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                which.equals(browser.attribute("#plan-panel", "data-plan"))
                    && cells(browser, "plan-orders").equals(orders));
  }

  @Test
  void aPlannerReadsThePlanOpensAProjectionAndAsksWhatIfAHospitalWereOnboarded() throws Exception {
    // The controller reads the window back a day at a time at its start.
    JsonNode inForce =
        await("the four weeks of history read")
            .atMost(TestFleet.TIMEOUT)
            .ignoreExceptions()
            .until(
                () -> planner.getJson(api("/capacity/plan")),
                plan -> plan.path("historyDays").asInt() == HISTORY_DAYS);
    JsonNode site1 = group(inForce, "hot-nvme", "site-1");
    assertThat(site1.path("status").asText()).isEqualTo("fills");
    assertThat(inForce.path("plan").path("orders")).isNotEmpty();

    try (Browser browser =
        new Browser(Files.createDirectories(dir.resolve("chromium-profile")), "PlanConsoleIT")) {
      browser.open("http://127.0.0.1:" + controller.port() + "/login.html");
      ConsoleIT.logIn(browser, fleet, Roles.PLANNER);
      await("the closed plan panel")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#plan-section"), s -> s.contains("Purchase plan"));
      // Not read until the planner opens it: the refresh leaves it alone.
      assertThat(browser.attribute("#plan-panel", "data-plan")).isNull();

      browser.click("#plan-panel summary");
      awaitPlan(browser, "in-force", orders(inForce));
      assertThat(cells(browser, "plan-quarters")).isEqualTo(quarters(inForce));
      List<String> site1Row =
          cells(browser, "plan-groups").stream()
              .filter(r -> r.get(1).equals("hot-nvme") && r.get(2).equals("site-1"))
              .findFirst()
              .orElseThrow();
      assertThat(site1Row.get(5)).isEqualTo("fills");
      assertThat(site1Row.get(6)).isEqualTo(site1.path("fullOn").asText());
      assertThat(site1Row.get(8))
          .isEqualTo(
              site1.path("fullOn95").path(0).asText()
                  + " – "
                  + (site1.path("fullOn95").path(1).isNull()
                      ? "later"
                      : site1.path("fullOn95").path(1).asText()));

      // Site-3's tier is not planned, and the panel says why as the API does.
      JsonNode unplanned = inForce.path("plan").path("unplanned").get(0);
      assertThat(unplanned.path("site").asText()).isEqualTo("site-3");
      assertThat(browser.visibleText("#plan-unplanned"))
          .isEqualTo("Not planned: hot-nvme at site-3: " + unplanned.path("reason").asText());
      assertThat(browser.visibleText("tr[data-group='hot-nvme@site-3']"))
          .contains(
              "no usable capacity ("
                  + group(inForce, "hot-nvme", "site-3").path("reason").asText()
                  + ")");

      // No chart is drawn before its row is opened; opening one draws that one only.
      assertThat(browser.script("return document.querySelectorAll('svg.plan-chart').length"))
          .isEqualTo(0L);
      browser.click("button[data-chart-for='hot-nvme@site-1']");
      await("site-1's projection drawn")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () ->
                  browser.script(
                      "return document.querySelectorAll('svg.plan-chart[data-chart=\"hot-nvme@site-1\"]"
                          + " g[clip-path] polygon').length"),
              n -> n.equals(2L));
      int points = site1.path("points").size();
      assertThat(points).isBetween(150, 170);
      // Each band goes out along its upper bound and back along its lower one.
      assertThat(
              browser.script(
                  "return Array.from(document.querySelectorAll('svg.plan-chart polygon'))"
                      + ".map(p => p.getAttribute('class') + ':' + p.points.length)"))
          .isEqualTo(List.of("band95:" + 2 * points, "band80:" + 2 * points));
      assertThat(
              browser.script(
                  "return Array.from(document.querySelectorAll('svg.plan-chart polyline'))"
                      + ".map(p => p.getAttribute('class'))"))
          .isEqualTo(List.of("trend", "limit", "mean"));
      assertThat(browser.script("return document.querySelectorAll('svg.plan-chart').length"))
          .isEqualTo(1L);
      browser.script("document.getElementById('plan-section').scrollIntoView()");
      browser.screenshot("in-force");

      // What if a hospital wrote 20 MB a day under the clinic policy (two copies on hot-nvme)?
      JsonNode whatIf = Http.JSON.readTree(planner.postJson(api("/capacity/plan"), ONBOARD).body());
      LocalDate sooner =
          LocalDate.parse(group(whatIf, "hot-nvme", "site-1").path("fullOn").asText());
      assertThat(sooner).isBefore(LocalDate.parse(site1.path("fullOn").asText()));
      browser.replace("#plan-dataset", "h99-imaging");
      browser.select("#plan-policy", "clinic");
      browser.replace("#plan-per-day", "20MB");
      browser.click("#plan-form button[type=submit]");
      awaitPlan(browser, "what-if", orders(whatIf));
      assertThat(browser.visibleText("#plan-whatif"))
          .contains("What-if, not the plan in force:")
          .contains("h99-imaging onboarded under clinic, 20MB a day");
      assertThat(cells(browser, "plan-quarters")).isEqualTo(quarters(whatIf));
      assertThat(browser.visibleText("tr[data-group='hot-nvme@site-1']"))
          .contains(sooner.toString());
      // The open row stays open, drawn from the what-if.
      assertThat(browser.script("return document.querySelectorAll('svg.plan-chart').length"))
          .isEqualTo(1L);
      browser.script("document.getElementById('plan-section').scrollIntoView()");
      browser.screenshot("what-if");

      // The what-if as a workbook, posted with the same body and saved by the browser.
      browser.click("#plan-xlsx");
      Path xlsx = browser.downloads().resolve("strata-capacity-plan.xlsx");
      await("the plan's workbook downloaded")
          .atMost(TestFleet.TIMEOUT)
          .until(() -> Files.isRegularFile(xlsx) && Files.size(xlsx) > 0);
      try (XSSFWorkbook wb = new XSSFWorkbook(Files.newInputStream(xlsx))) {
        assertThat(wb.getSheet("Plan")).isNotNull();
        assertThat(wb.getSheet("Projection")).isNotNull();
      }

      // The clinic policy with one copy instead of two, for the hospital onboarded: site-1 fills
      // later than with two, as the API says for the same body.
      String oneCopy = CLINIC.replace("2 × hot-nvme", "1 × hot-nvme");
      com.fasterxml.jackson.databind.node.ObjectNode changed =
          (com.fasterxml.jackson.databind.node.ObjectNode) Http.JSON.readTree(ONBOARD);
      changed.putObject("policies").put("clinic", oneCopy);
      JsonNode fewer =
          Http.JSON.readTree(planner.postJson(api("/capacity/plan"), changed.toString()).body());
      assertThat(LocalDate.parse(group(fewer, "hot-nvme", "site-1").path("fullOn").asText()))
          .isAfter(sooner);
      browser.replace("#plan-policy-text", oneCopy);
      browser.click("#plan-form button[type=submit]");
      awaitPlan(browser, "what-if", orders(fewer));
      assertThat(browser.visibleText("#plan-whatif")).contains("policy clinic as changed");
      // A policy text the controller would refuse is named with its file, line and column.
      browser.replace("#plan-policy-text", oneCopy.replace("hot-nvme", "warm"));
      browser.click("#plan-form button[type=submit]");
      await("the policy's refusal beside the form")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#plan-error"),
              e -> e.contains("policies.clinic: [clinic.yaml:4:") && e.contains("warm"));
      assertThat(cells(browser, "plan-orders")).isEqualTo(orders(fewer));
      browser.replace("#plan-policy-text", "");

      // Racks the API refuses: its reason beside the form, the what-if on show unchanged.
      browser.select("#plan-tier", "hot-nvme");
      browser.select("#plan-site", "site-1");
      browser.replace("#plan-racks", "-1");
      browser.click("#plan-form button[type=submit]");
      await("the refusal beside the form")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#plan-error"),
              e -> e.contains("addRacks[0].racks: -1 is not 1 or more"));
      assertThat(browser.attribute("#plan-panel", "data-plan")).isEqualTo("what-if");
      assertThat(cells(browser, "plan-orders")).isEqualTo(orders(fewer));
      assertThat(browser.visibleText("#plan-whatif")).contains("h99-imaging");
      browser.script("document.getElementById('plan-section').scrollIntoView()");
      browser.screenshot("refused");
      // A horizon that is no number is sent as typed, and the API names the field.
      browser.replace("#plan-racks", "");
      browser.replace("#plan-horizon", "soon");
      browser.click("#plan-form button[type=submit]");
      await("the horizon's refusal beside the form")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#plan-error"),
              e -> e.contains("'horizonDays' has the wrong type, expected a number"));
      assertThat(cells(browser, "plan-orders")).isEqualTo(orders(fewer));
      browser.replace("#plan-horizon", "");

      // Another rack model in place of the configured one: the orders are of it, as the API says.
      JsonNode bigger =
          Http.JSON.readTree(
              planner
                  .postJson(
                      api("/capacity/plan"),
                      ONBOARD.substring(0, ONBOARD.length() - 1)
                          + ", \"rackModels\": [{\"name\": \"big-4u\", \"tier\": \"hot-nvme\","
                          + " \"usable\": \"2GiB\", \"cost\": 80000, \"leadTimeDays\": 7}]}")
                  .body());
      assertThat(bigger.path("plan").path("orders").get(0).path("model").asText())
          .isEqualTo("big-4u");
      browser.replace("#plan-model-name", "big-4u");
      browser.select("#plan-model-tier", "hot-nvme");
      browser.replace("#plan-model-usable", "2GiB");
      browser.replace("#plan-model-cost", "80000");
      browser.replace("#plan-model-lead", "7");
      browser.click("#plan-form button[type=submit]");
      awaitPlan(browser, "what-if", orders(bigger));
      assertThat(browser.visibleText("#plan-error")).isEmpty();
      assertThat(browser.visibleText("#plan-whatif"))
          .contains("rack model big-4u for hot-nvme, 2GiB usable");

      // Back to the plan in force, as the API gives it.
      browser.click("#plan-back");
      awaitPlan(browser, "in-force", orders(planner.getJson(api("/capacity/plan"))));
      assertThat(browser.visibleText("#plan-whatif")).isEmpty();

      // In Chinese: the page reloads with the panel closed, and opened it reads in Chinese.
      browser.select("#language", "zh");
      await("the panel's title in Chinese")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#plan-section"), shown -> shown.contains("采购计划"));
      browser.click("#plan-panel summary");
      await("the plan in Chinese")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#plan-groups") + browser.visibleText("#plan-orders"),
              shown -> shown.contains("将写满") && shown.contains("最迟订购"));
      browser.script("document.getElementById('plan-section').scrollIntoView()");
      browser.screenshot("chinese");
      browser.select("#language", "en");
    }
  }

  @Test
  void aViewerNeitherSeesNorAsksThePlan() throws Exception {
    try (Browser browser =
        new Browser(
            Files.createDirectories(dir.resolve("chromium-profile")), "PlanConsoleIT-viewer")) {
      browser.open("http://127.0.0.1:" + controller.port() + "/login.html");
      ConsoleIT.logIn(browser, fleet, Roles.VIEWER);
      await("the viewer's console drawn")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.page().contains("data-dataset=\"h01-imaging\""));
      assertThat(browser.attribute("#plan-section", "hidden")).isNotNull();
      assertThat(browser.visibleText("#plan-section")).isEmpty();
      assertThat(browser.attribute("#plan-panel", "data-plan")).isNull();
    }
    // Nor would the API give it to a viewer.
    assertThat(fleet.as(Roles.VIEWER).fetch(api("/capacity/plan")).statusCode()).isEqualTo(403);
  }
}
