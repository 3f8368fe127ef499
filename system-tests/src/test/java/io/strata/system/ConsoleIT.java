package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.ControllerConfiguration;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: headless Chromium loads the page from the controller, runs its
 * script against the REST API, and the rendered DOM shows the topology, pools and agents. {@code
 * ./strata test} installs Chromium; without it this test fails rather than skips.
 */
class ConsoleIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> controller;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new TestFleet(dir, 3);
    controller = fleet.startController("replica-1");
    fleet.startAgent("agent-a", 0, controller.port());
    fleet.startAgent("agent-b", 1, controller.port());
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void anOperatorLogsInAndTheConsoleShowsTopologyPoolsAndLiveAgents() throws Exception {
    await("both agents up")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet
                        .as(Roles.VIEWER)
                        .getJson("http://127.0.0.1:" + controller.port() + "/api/v1/agents")
                        .size()
                    == 2);
    String base = "http://127.0.0.1:" + controller.port();
    try (Browser browser =
        new Browser(Files.createDirectories(dir.resolve("chromium-profile")), "ConsoleIT-agents")) {
      browser.open(base + "/");
      await("the console sends an anonymous visitor to the login page")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.currentUrl().contains("/login.html"));
      logIn(browser, fleet, Roles.VIEWER);
      await("console rendered with both agents up after login")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> {
                String page = browser.page();
                return page.contains("data-agent=\"agent-a\"")
                    && page.contains("data-agent=\"agent-b\"");
              });
      await("the heatmap draws every rack")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), "3"::equals);
      browser.screenshot("viewer");
      // A rack found by a pool's id shows its pools, nodes and agents; a viewer gets no action.
      browser.replace("#heatmap-id", "pool-1");
      browser.click("#heatmap-search button");
      await("rack-1's detail")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack"),
              shown -> shown.contains("Rack rack-1") && shown.contains("node-1 — agent-b (up)"));
      assertThat(browser.attribute("#heatmap", "data-selected")).isEqualTo("rack-1");
      assertThat(browser.page()).doesNotContain("class=\"action\"");
      // Nor would the API take it from a viewer.
      assertThat(
              fleet
                  .as(Roles.VIEWER)
                  .postJson(base + "/api/v1/cluster-map/domains/rack-1/drain", "")
                  .statusCode())
          .isEqualTo(403);
      browser.replace("#heatmap-id", "nowhere");
      browser.click("#heatmap-search button");
      await("the API's reason next to the search")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#heatmap-search-error"),
              error -> error.contains("no rack, node, pool or agent 'nowhere'"));
      String page = browser.page();
      assertThat(page).contains("data-site=\"site-1\"");
      for (String room : List.of("room-0", "room-1", "room-2")) {
        assertThat(page).contains("data-room=\"" + room + "\"");
      }
      for (String pool : List.of("pool-0", "pool-1", "pool-2")) {
        assertThat(page).contains("data-pool=\"" + pool + "\"");
      }
      assertThat(page).contains("data-dataset=\"h01-imaging\"");
      assertThat(page).containsPattern("data-agent=\"agent-a\">.*?<td class=\"state-UP\">up</td>");
      assertThat(page).doesNotContain("Cannot read the controller's API");
      assertThat(browser.visibleText("#identities")).isEmpty();
      // The capacity forecast is the planners': a viewer's console neither shows nor asks it.
      assertThat(browser.visibleText("#capacity-section")).isEmpty();
      assertThat(page).doesNotContain("data-tier-site=");

      // A second replica whose tokens file lacks a token the first one's has, and which reads a
      // policy file (for datasets this fleet does not have).
      List<String> tokens = Files.readAllLines(dir.resolve("tokens.yml"));
      Path fewer =
          Files.write(dir.resolve("tokens-replica-2.yml"), tokens.subList(0, tokens.size() - 1));
      fleet.tokensFiles.put("replica-2", fewer);
      Path policy = dir.resolve("elsewhere.yaml");
      String text =
          """
          policy: elsewhere
          datasets: ["elsewhere-*"]
          recordClass: none
          phases: {0d: 1 × hot-nvme spread room}
          retention: {minimum: 0d}
          """;
      Files.writeString(policy, text);
      fleet.reconcileYaml = fleet.reconcileYaml + "  policyFiles: [" + policy + "]\n";
      EmbeddedApp<ControllerConfiguration> second = fleet.startController("replica-2");
      await("the console warns that replica-2 grants other tokens and plans by other policies")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#identities"),
              note ->
                  note.startsWith(
                          "The users and tokens files of replica-2 grant other users, roles or"
                              + " tokens than this replica's")
                      && note.contains("Replica(s) replica-2 run by other storage policies"));

      // replica-2's console (the session holds on every replica) lists the policy it reads,
      // and says so once its policy file is broken.
      browser.open("http://127.0.0.1:" + second.port() + "/");
      await("replica-2's console lists its policy")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.page(),
              shown ->
                  shown.contains("data-policy=\"elsewhere\"")
                      && shown.contains("0d: 1 × hot-nvme spread room")
                      && shown.contains("From " + policy));
      Files.writeString(policy, text.replace("hot-nvme", "warm"));
      await("replica-2's console says its policy file cannot be used, and where")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#identities"),
              note ->
                  note.startsWith("This replica's policy files changed in a way it cannot use")
                      && note.contains(policy + ":4:")
                      && note.contains("tier 'warm' is unknown"));
    }
  }

  @Test
  void anOperatorCancelsARunningTaskFromTheConsole() throws Exception {
    // A stand-in agent serves pool-2, which no real agent does: the scan leased to it never ends.
    String base = "http://127.0.0.1:" + controller.port();
    String task = new StandInAgent(fleet, "agent-x", "pool-2").leaseAScan(controller);

    try (Browser browser =
        new Browser(Files.createDirectories(dir.resolve("chromium-profile")), "ConsoleIT-cancel")) {
      browser.open(base + "/login.html");
      logIn(browser, fleet, Roles.OPERATOR);
      await("the task with its cancel button")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.page().contains("data-cancel=\"" + task + "\""));

      browser.click("button[data-cancel=\"" + task + "\"]");

      await("the task shown stopping")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.page().contains("agent-x (stopping)"));
      assertThat(browser.page()).doesNotContain("data-cancel=\"" + task + "\"");

      // The recall form: a study no scan has seen is refused, the API's reason shown beside it.
      assertThat(browser.visibleText("#recalls")).contains("No recalls.");
      browser.select("#recall-kind", "study");
      browser.type("#recall-value", "1.2.3.404");
      browser.script(
          "document.getElementById('recall-deadline').value ="
              + " new Date(Date.now() + 3600e3).toISOString().slice(0, 16)");
      browser.click("#recall-form button[type=submit]");
      await("the recall refused")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#recall-error"),
              error -> error.contains("no object with StudyInstanceUID 1.2.3.404"));
      assertThat(fleet.as(Roles.VIEWER).getJson(base + "/api/v1/recalls").size()).isZero();
    }
    var queue = fleet.as(Roles.VIEWER).getJson(base + "/api/v1/tasks").path("tasks");
    List<String> cancelled = new java.util.ArrayList<>();
    queue.forEach(
        q -> {
          if (q.path("cancelReason").asText().equals("cancelled by an operator")) {
            cancelled.add(q.path("task").path("id").asText());
          }
        });
    assertThat(cancelled).containsExactly(task);
  }

  @Test
  void anOperatorDrainsARackAfterItsPreviewSeesItEmptiedAndUndrainsIt() throws Exception {
    String base = "http://127.0.0.1:" + controller.port();
    try (Browser browser =
        new Browser(Files.createDirectories(dir.resolve("chromium-profile")), "ConsoleIT-drain")) {
      browser.open(base + "/login.html");
      logIn(browser, fleet, Roles.OPERATOR);
      await("the heatmap")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), "3"::equals);
      openRack(browser, "rack-1");

      browser.click("#rack button.action[data-change=drain][data-kind=domain]");
      await("the preview of the drain")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack .preview"),
              shown ->
                  shown.contains("Preview: drain rack-1.")
                      && shown.contains("Pools it changes: pool-1."));
      browser.screenshot("preview");
      long epoch =
          fleet.as(Roles.VIEWER).getJson(base + "/api/v1/cluster-map").path("epoch").asLong();
      browser.click("#rack .preview button.confirm");
      // pool-1 holds nothing: once its agent's census shows it empty, the drain is done.
      await("the drained pool empty and out")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack tr[data-rack-pool=pool-1]"),
              row -> row.contains("out"));
      browser.screenshot("drained");
      assertThat(
              fleet.as(Roles.VIEWER).getJson(base + "/api/v1/cluster-map").path("epoch").asLong())
          .isGreaterThan(epoch);

      browser.click("#rack button.action[data-change=undrain][data-kind=domain]");
      await("the preview of the undrain")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#rack .preview"), s -> s.contains("undrain rack-1"));
      browser.click("#rack .preview button.confirm");
      await("pool-1 back in service")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack tr[data-rack-pool=pool-1]"),
              row -> row.contains("up"));

      // A weight that is no number: the API's reason next to the control, and nothing changes.
      browser.replace("#rack input[data-weight-of=pool-1]", "lots");
      browser.click("#rack button.action[data-change=weight]");
      await("the refusal of the weight")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack .preview"),
              s -> s.contains("field 'weight' must be a finite number of 0 or more"));
      browser.click("#rack .preview button.dismiss");
      browser.replace("#rack input[data-weight-of=pool-1]", "2");
      browser.click("#rack button.action[data-change=weight]");
      await("the preview of the weight")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack .preview"),
              s -> s.contains("Preview: set the weight of pool-1 to 2."));
      browser.click("#rack .preview button.confirm");
      await("pool-1 weighs 2")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> {
                for (var pool :
                    fleet.as(Roles.VIEWER).getJson(base + "/api/v1/cluster-map").path("pools")) {
                  if (pool.path("id").asText().equals("pool-1")) {
                    return pool.path("weight").asDouble();
                  }
                }
                return -1.0;
              },
              w -> w == 2.0);

      // The landing pool's rack: the preview already says the drain could never finish, and why.
      openRack(browser, "rack-0");
      browser.click("#rack button.action[data-change=drain][data-kind=domain]");
      await("the refusal, naming the dataset that lands there")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack .preview"),
              s ->
                  s.contains("could never finish")
                      && s.contains("pool pool-0 is the landing pool of dataset h01-imaging"));
      browser.screenshot("landing-refused");
      assertThat(
              browser
                  .find("#rack .preview")
                  .findElements(org.openqa.selenium.By.cssSelector("button.confirm")))
          .isEmpty();

      // Chinese, remembered over a reload, and back.
      browser.select("#language", "zh");
      await("the console in Chinese")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#fleet h2"), "全局热力图"::equals);
      browser.open(base + "/");
      await("still in Chinese after a reload")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#summary"), s -> s.contains("机架"));
      browser.screenshot("chinese");
      browser.select("#language", "en");
      await("back in English")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#fleet h2"), "Fleet heatmap"::equals);
    }
  }

  private static void openRack(Browser browser, String rack) {
    browser.replace("#heatmap-id", rack);
    browser.click("#heatmap-search button");
    await(rack + "'s detail")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> browser.visibleText("#rack h3"), h -> h.startsWith("Rack " + rack));
  }

  @Test
  void aPlannerSeesWhenEachTierFillsAndCanExportIt() throws Exception {
    try (Browser browser =
        new Browser(
            Files.createDirectories(dir.resolve("chromium-profile")), "ConsoleIT-planner")) {
      browser.open("http://127.0.0.1:" + controller.port() + "/login.html");
      logIn(browser, fleet, Roles.PLANNER);
      // The leader takes the first sample once the agents have counted their pools.
      await("the forecast of the hot tier at site-1, from the first sample")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#capacity-section"),
              shown ->
                  shown.contains("Capacity forecast")
                      && shown.contains("From 1 sample, ")
                      // Of the three pools, those whose agents had counted at the sample.
                      && shown.matches("(?s).*hot-nvme site-1 [12] / 3 .*")
                      && shown.contains("no trend yet")
                      && shown.contains("Report with charts: PDF · XLSX")
                      && shown.contains("Export as CSV: by site · by room · by pool"));
      assertThat(browser.page()).contains("data-tier-site=\"hot-nvme@site-1\"");
      assertThat(browser.page()).doesNotContain("Cannot read the controller's API");

      // What if a 1 GiB pool joined the hot tier at site-1 (three of 1 GiB under 0.85 now)?
      browser.type("#what-if-size", "1GiB");
      browser.click("#what-if button[type=submit]");
      await("the forecast with the capacity added, and exports of it")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#capacity-section"),
              shown ->
                  shown.contains("What if: +1.0 GiB of hot-nvme at site-1.")
                      && shown.contains("3.4 GiB"));
      assertThat(browser.page())
          .contains("href=\"/api/v1/capacity/report.pdf?add=hot-nvme%40site-1%3D1GiB\"");
      // A size that is not one is refused, saying why; the forecast on show stays.
      browser.type("#what-if-size", "x");
      browser.click("#what-if button[type=submit]");
      await("the refusal")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#what-if-error"),
              error -> error.contains("add: '1GiBx' is not a size"));
      assertThat(browser.visibleText("#capacity-section")).contains("What if: +1.0 GiB");
    }
  }

  /** Fills the login page in as a user with {@code role} (the test fleet names users by role). */
  static void logIn(Browser browser, TestFleet fleet, String role) {
    browser.type("#user", role);
    browser.type("#password", fleet.password(role));
    browser.click("button[type=submit]");
  }
}
