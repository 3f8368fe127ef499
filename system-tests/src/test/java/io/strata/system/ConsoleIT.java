package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.ControllerConfiguration;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.protocol.heartbeat.BlockDevice;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.runtime.s3.TestS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
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

  /** The test that explains an object runs with this policy: three copies in three rooms. */
  private static final String EXPLAINED_POLICY =
      """
      policy: three-rooms
      datasets: ["h01-imaging"]
      recordClass: none
      phases:
        0d: 3 × hot-nvme spread room
        90d: 2 × hot-nvme spread room
      retention: {minimum: 1d}
      """;

  @BeforeEach
  void startFleet(TestInfo test) throws Exception {
    fleet = new TestFleet(dir, 3);
    if (test.getTestMethod().orElseThrow().getName().startsWith("aViewerExplains")) {
      Path policy = Files.writeString(dir.resolve("three-rooms.yaml"), EXPLAINED_POLICY);
      fleet.datasetPolicy = "three-rooms";
      fleet.reconcileYaml = fleet.reconcileYaml + "  policyFiles: [" + policy + "]\n";
      // More hospitals than one page of the datasets' table holds.
      StringBuilder more = new StringBuilder();
      for (int h = 2; h <= 25; h++) {
        more.append(
            "  - {name: h%02d-imaging, description: hospital %d, landingPools: [pool-0]}\n"
                .formatted(h, h));
      }
      fleet.moreDatasets = more.toString();
    }
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
      assertThat(browser.attribute("#add-pool", "hidden"))
          .as("adding pools is the admins'")
          .isNotNull();
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

  @Test
  void aViewerExplainsWhereAnObjectsCopiesAreAndShouldBeAndWhy() throws Exception {
    String base = "http://127.0.0.1:" + controller.port();
    String key = "studies/1.2.3/series-1.dcm";
    io.minio.MinioClient pool0 =
        TestS3.client(fleet.pools.get(0).endpoint().toString(), TestFleet.KEYS);
    TestFleet.makeBucket(pool0, "h01-imaging");
    byte[] body = new byte[4096];
    pool0.putObject(
        io.minio.PutObjectArgs.builder().bucket("h01-imaging").object(key).stream(
                new java.io.ByteArrayInputStream(body), body.length, -1)
            .build());
    try (Browser browser =
        new Browser(
            Files.createDirectories(dir.resolve("chromium-profile")), "ConsoleIT-explain")) {
      browser.open(base + "/login.html");
      logIn(browser, fleet, Roles.VIEWER);
      await("the dataset to explain an object of")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.page().contains("<option value=\"h01-imaging\">"));
      // 25 datasets, 20 a page.
      await("the first page of datasets")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#datasets-pager").replaceAll("\\s+", " "),
              "‹ Previous 1–20 of 25 Next ›"::equals);
      assertThat(browser.find("#datasets tbody").findElements(org.openqa.selenium.By.tagName("tr")))
          .hasSize(20);
      browser.click("#datasets-pager button[data-step='1']");
      await("the second page of datasets")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#datasets tbody"),
              rows ->
                  rows.startsWith("h21-imaging")
                      && rows.contains("h25-imaging")
                      && !rows.contains("h20-imaging"));
      assertThat(browser.visibleText("#datasets-pager")).contains("21–25 of 25");
      browser.select("#explain-dataset", "h01-imaging");
      browser.replace("#explain-key", key);
      // pool-0, where it landed, and pool-1 hold a copy once agent-b copied it; no agent serves
      // pool-2, whose copy stays missing.
      await("the explanation, with pool-1's copy made")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> {
                browser.click("#explain-form button[type=submit]");
                return browser.attribute("#explain tr[data-explain-pool=pool-1]", "data-status");
              },
              "desired"::equals);
      String shown = browser.visibleText("#explain");
      assertThat(shown)
          .contains(key + " in h01-imaging")
          .contains(
              "Governed by policy three-rooms, written at "
                  + dir.resolve("three-rooms.yaml")
                  + ":1.")
          .contains("In phase 0d since")
          .contains(
              ": 3 × hot-nvme spread room (written at " + dir.resolve("three-rooms.yaml") + ":5:")
          .contains("its age counts from LastModified")
          .contains("Next: phase 90d on");
      assertThat(browser.visibleText("#explain tr[data-explain-tier=hot-nvme]"))
          .isEqualTo("hot-nvme 3 room " + String.join(", ", desired(base, key)));
      assertThat(browser.attribute("#explain tr[data-explain-pool=pool-0]", "data-status"))
          .isEqualTo("desired");
      assertThat(browser.visibleText("#explain tr[data-explain-pool=pool-0]"))
          .contains("the rule of phase 0d places a copy here");
      assertThat(browser.attribute("#explain tr[data-explain-pool=pool-2]", "data-status"))
          .isEqualTo("missing");
      assertThat(browser.visibleText("#explain tr[data-explain-pool=pool-2]"))
          .contains("phase 0d places a copy here and none was found");
      browser.script("document.getElementById('explain').scrollIntoView()");
      browser.screenshot("explained");

      // A key no pool holds: the API's reason next to the form.
      browser.replace("#explain-key", "studies/none.dcm");
      browser.click("#explain-form button[type=submit]");
      await("the API's 404 next to the form")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#explain-error"),
              error -> error.contains("no copy of 'studies/none.dcm' in dataset 'h01-imaging'"));

      // The same in Chinese.
      browser.select("#language", "zh");
      await("the console in Chinese")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () ->
                  browser.page().contains("<option value=\"h01-imaging\">")
                      && browser.visibleText("#fleet h2").equals("全局热力图"));
      browser.replace("#explain-key", key);
      browser.click("#explain-form button[type=submit]");
      await("the explanation in Chinese")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#explain"),
              text -> text.contains("由策略 three-rooms 管理") && text.contains("缺失"));
      browser.script("document.getElementById('explain').scrollIntoView()");
      browser.screenshot("explained-zh");
      browser.select("#language", "en");
    }
  }

  /** The pools the API says the object should be on, in placement order. */
  private List<String> desired(String base, String key) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    fleet
        .as(Roles.VIEWER)
        .getJson(base + "/api/v1/datasets/h01-imaging/objects/" + key + "/locations")
        .path("desired")
        .forEach(p -> out.add(p.asText()));
    return out;
  }

  @Test
  void anOperatorSeesAnAgentsFailingDriveAndForgetsItOnlyOnceItIsDown() throws Exception {
    String base = "http://127.0.0.1:" + controller.port();
    StandInAgent retired =
        new StandInAgent(fleet, "agent-x", "pool-2")
            .on(
                "node-2",
                new Inventory(
                    "node-2",
                    8,
                    64L << 30,
                    0.5,
                    List.of(
                        new BlockDevice("nvme0n1", 3_840_000_000_000L, false, "PM9A3", true),
                        new BlockDevice("sdb", 18_000_000_000_000L, true, "ST18000NM", false),
                        new BlockDevice("sdc", 18_000_000_000_000L, true, "ST18000NM", null)),
                    null));
    retired.beat(controller, 1, List.of(), List.of());
    try (Browser browser =
        new Browser(
            Files.createDirectories(dir.resolve("chromium-profile")), "ConsoleIT-agents-ops")) {
      browser.open(base + "/login.html");
      logIn(browser, fleet, Roles.OPERATOR);
      await("agent-x with its failing drive counted")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#agents tr[data-agent=agent-x]"),
              row -> row.contains("3 (1 failing SMART)"));

      // The drives of node-2's agent in rack-2's panel, the failed one standing out.
      openRack(browser, "rack-2");
      browser.click("#rack button[data-drives-of=agent-x]");
      await("agent-x's drives")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack [data-drives-for=agent-x]"),
              shown ->
                  shown.contains("Drives of agent-x")
                      && shown.contains("nvme0n1 3.5 TiB solid state PM9A3 healthy")
                      && shown.contains("sdb 16.4 TiB spinning ST18000NM FAILED")
                      && shown.contains("sdc 16.4 TiB spinning ST18000NM not read")
                      && browser.page().contains("<tr data-drive=\"sdb\" class=\"smart-failed\">"));
      browser.script("document.getElementById('rack').scrollIntoView()");
      browser.screenshot("drives");

      // agent-a is up: the API refuses to forget it, and says why next to the control.
      browser.click("button[data-forget=agent-a]");
      browser.click("#agents tr[data-agent=agent-a] .preview button.confirm");
      await("the refusal next to the control")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#agents tr[data-agent=agent-a] .preview"),
              shown -> shown.contains("agent 'agent-a' is up: stop it, then forget it"));
      browser.script("document.getElementById('agents').scrollIntoView()");
      browser.screenshot("forget-refused");
      browser.click("#agents tr[data-agent=agent-a] .preview button.dismiss");

      // agent-x beats no more: once its lease ends it shows down, and is forgotten.
      await("agent-x down")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#agents tr[data-agent=agent-x]"),
              row -> row.contains("down"));
      browser.click("button[data-forget=agent-x]");
      assertThat(browser.visibleText("#agents tr[data-agent=agent-x] .preview"))
          .contains("Forget agent-x?");
      browser.click("#agents tr[data-agent=agent-x] .preview button.confirm");
      await("agent-x gone from the list")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> !browser.page().contains("data-agent=\"agent-x\""));
      assertThat(fleet.as(Roles.VIEWER).fetch(base + "/api/v1/agents/agent-x").statusCode())
          .isEqualTo(404);
      assertThat(
              fleet
                  .as(Roles.VIEWER)
                  .getJson(base + "/api/v1/agents/agent-a")
                  .path("state")
                  .asText())
          .isEqualTo("UP");
    }
  }

  @Test
  void anAdminAddsAPoolOnceItsPreviewIsConfirmed() throws Exception {
    String base = "http://127.0.0.1:" + controller.port();
    long epoch =
        fleet.as(Roles.VIEWER).getJson(base + "/api/v1/cluster-map").path("epoch").asLong();
    try (Browser browser =
        new Browser(
            Files.createDirectories(dir.resolve("chromium-profile")), "ConsoleIT-add-pool")) {
      browser.open(base + "/login.html");
      logIn(browser, fleet, Roles.ADMIN);
      await("the form that adds a pool")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#add-pool", "hidden") == null);
      browser.click("#add-pool > summary");
      browser.replace("#add-pool-id", "pool-3");
      browser.replace("#add-pool-domain", "node-9");
      browser.replace("#add-pool-tier", "hot-nvme");
      browser.replace("#add-pool-endpoint", "http://127.0.0.1:9");
      browser.replace("#add-pool-capacity", "1GiB");
      browser.replace("#add-pool-credentials", "file:pool.credentials");
      browser.click("#add-pool-form button[type=submit]");
      // A domain the map lacks: the API's reason next to the form, and no preview.
      await("the refusal of an unknown domain")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#add-pool-error"), error -> error.contains("node-9"));
      assertThat(browser.page()).doesNotContain("button class=\"confirm\"");

      browser.replace("#add-pool-domain", "node-2");
      browser.click("#add-pool-form button[type=submit]");
      await("the preview of the pool added")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#add-pool-result .preview"),
              shown ->
                  shown.contains("Preview: add pool pool-3.")
                      && shown.contains("Pools it changes: pool-3."));
      assertThat(browser.visibleText("#add-pool-error")).isEmpty();
      browser.script("document.getElementById('add-pool').scrollIntoView()");
      browser.screenshot("preview");
      assertThat(
              fleet.as(Roles.VIEWER).getJson(base + "/api/v1/cluster-map").path("epoch").asLong())
          .as("a preview changes nothing")
          .isEqualTo(epoch);
      browser.click("#add-pool-result .preview button.confirm");
      await("the pool added")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#add-pool-result"),
              shown -> shown.startsWith("Added pool-3; the cluster map is at epoch "));
      List<String> pools = new java.util.ArrayList<>();
      fleet
          .as(Roles.VIEWER)
          .getJson(base + "/api/v1/cluster-map")
          .path("pools")
          .forEach(p -> pools.add(p.path("id").asText()));
      assertThat(pools).contains("pool-3");
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
