package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's API at fleet scale: a generated cluster map of 10,000 racks (2 sites, 5 rooms each,
 * 20 rows of 50 racks a room; a node and a pool a rack, one of them real) served by a real
 * controller. The fleet is started once for all tests here.
 */
class FleetConsoleIT {
  static final int SITES = 2;
  static final int ROOMS = 5;
  static final int ROWS = 20;
  static final int RACKS_PER_ROW = 50;
  static final int RACKS = SITES * ROOMS * ROWS * RACKS_PER_ROW;

  @TempDir static Path dir;
  static TestFleet fleet;
  static EmbeddedApp<ControllerConfiguration> controller;
  static String base;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new TestFleet(dir, 1, endpoints -> topology(endpoints.get(0)));
    controller = fleet.startController("replica-1");
    base = "http://127.0.0.1:" + controller.port();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  /**
   * 10,000 racks in sites, rooms and rows, each rack one node and one pool of 1 TiB. Pool {@code
   * pool-0} is the fleet's real S3 pool; the others name a loopback port nothing listens on.
   */
  static String topology(String realEndpoint) {
    StringBuilder domains =
        new StringBuilder(
            "tiers:\n  - {name: hot-nvme, fillCeiling: 0.85}\ndomains:\n"
                + "  - {id: region-1, level: region}\n");
    StringBuilder pools = new StringBuilder("pools:\n");
    int n = 0;
    for (int s = 0; s < SITES; s++) {
      String site = "site-" + s;
      domains.append("  - {id: %s, level: site, parent: region-1}\n".formatted(site));
      for (int r = 0; r < ROOMS; r++) {
        String room = site + "-room-" + r;
        domains.append("  - {id: %s, level: room, parent: %s}\n".formatted(room, site));
        for (int w = 0; w < ROWS; w++) {
          String row = room + "-row-" + w;
          domains.append("  - {id: %s, level: row, parent: %s}\n".formatted(row, room));
          for (int k = 0; k < RACKS_PER_ROW; k++, n++) {
            domains.append("  - {id: rack-%d, level: rack, parent: %s}\n".formatted(n, row));
            domains.append("  - {id: node-%d, level: node, parent: rack-%d}\n".formatted(n, n));
            pools.append(
                "  - {id: pool-%d, domain: node-%d, tier: hot-nvme, endpoint: \"%s\", capacity: 1TiB, credentials: \"file:pool.credentials\"}\n"
                    .formatted(n, n, n == 0 ? realEndpoint : "http://127.0.0.1:9"));
          }
        }
      }
    }
    return domains.append(pools).toString();
  }

  @Test
  void theRackSummaryHasEveryRackWithItsPlaceAndAnUnchangedOneAnswers304() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest.Builder get =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/racks"))
            .header("Authorization", "Bearer " + fleet.token(Roles.VIEWER));
    HttpResponse<String> first = client.send(get.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).isEqualTo(200);
    JsonNode racks = Http.JSON.readTree(first.body()).path("racks");
    assertThat(racks.size()).isEqualTo(RACKS);
    JsonNode last = racks.get(RACKS - 1);
    assertThat(last.path("id").asText()).isEqualTo("rack-9999");
    assertThat(last.path("site").asText()).isEqualTo("site-1");
    assertThat(last.path("room").asText()).isEqualTo("site-1-room-4");
    assertThat(last.path("row").asText()).isEqualTo("site-1-room-4-row-19");
    String tag = first.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again =
        client.send(
            get.copy().header("If-None-Match", tag).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).contains(tag);

    // What the console's browser transfers: the answer compressed, as it asks for it.
    HttpResponse<byte[]> gzipped =
        client.send(
            get.copy().header("Accept-Encoding", "gzip").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
    System.out.printf(
        "FleetConsoleIT: racks=%d racks_bytes=%d racks_gzip_bytes=%d not_modified_bytes=%d%n",
        RACKS,
        first.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
        gzipped.body().length,
        again.body().length());
  }

  @Test
  void theConsoleDrawsEveryRackAndAnIdleRefreshIsAnswered304() throws Exception {
    try (Browser browser =
        new Browser(
            java.nio.file.Files.createDirectories(dir.resolve("chromium-profile")),
            "FleetConsoleIT-10000-racks")) {
      browser.open(base + "/login.html");
      ConsoleIT.logIn(browser, fleet, Roles.VIEWER);
      await("the heatmap draws every one of the 10,000 racks")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), String.valueOf(RACKS)::equals);
      assertThat(browser.visibleText("#racks-count")).startsWith("10,000");
      // Too many racks for a box each: the page says so instead of drawing 10,000 of them.
      assertThat(browser.visibleText("#topology")).startsWith("10000 racks");
      browser.screenshot("heatmap");

      // Zoom: a site, one of its rooms, one of that room's rows; the cells grow as fewer share the
      // canvas, and the page holds no element per rack at any depth.
      browser.select("#heatmap-zoom-into", "site-0");
      await("site-0's racks alone")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), "5000"::equals);
      browser.select("#heatmap-zoom-into", "site-0-room-1");
      await("site-0-room-1's racks alone")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), "1000"::equals);
      browser.screenshot("room");
      browser.select("#heatmap-zoom-into", "site-0-room-1-row-0");
      await("the row's 50 racks")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), "50"::equals);
      assertThat(browser.attribute("#heatmap", "data-zoom"))
          .isEqualTo("site-0 › site-0-room-1 › site-0-room-1-row-0");
      assertThat(browser.visibleText("#heatmap-zoom").replaceAll("\\s+", " "))
          .isEqualTo("Whole fleet › site-0 › site-0-room-1 › site-0-room-1-row-0");
      assertThat(
              ((Number) browser.script("return document.getElementsByTagName('*').length;"))
                  .intValue())
          .as("elements on the page")
          .isLessThan(1500);
      // A rack of the row, and its node, in the rack's panel; the zoom stays.
      browser.replace("#heatmap-id", "rack-1010");
      browser.click("#heatmap-search button");
      await("rack-1010's panel with its node")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#rack"),
              shown -> shown.contains("Rack rack-1010") && shown.contains("node-1010"));
      assertThat(browser.attribute("#heatmap", "data-zoom")).endsWith("site-0-room-1-row-0");
      browser.screenshot("row");
      // Escape goes one level out; the fleet's link all the way.
      browser.find("#heatmap").sendKeys(org.openqa.selenium.Keys.ESCAPE);
      await("back in the room")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), "1000"::equals);
      browser.click("#heatmap-zoom button[data-zoom='{}']");
      await("the whole fleet again")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), String.valueOf(RACKS)::equals);

      // Nothing changes in this fleet: the next refresh's reads are answered 304, without a body.
      await("a refresh answered 304")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> Integer.parseInt(browser.attribute("body", "data-not-modified")) >= 5);
      assertThat(browser.attribute("#heatmap", "data-drawn")).isEqualTo(String.valueOf(RACKS));
      await("the controller's request log has the racks' 304")
          .atMost(TestFleet.TIMEOUT)
          .until(
              () ->
                  java.nio.file.Files.readAllLines(dir.resolve("requests.log")).stream()
                      .anyMatch(l -> l.contains("\"GET /api/v1/racks HTTP/1.1\" 304")));
    }
  }

  @Test
  void poolsAndAgentsComeInFilteredPagesWithTheirTotal() throws Exception {
    Http viewer = fleet.as(Roles.VIEWER);
    HttpResponse<String> page =
        viewer.fetch(base + "/api/v1/cluster-map/pools?room=site-0-room-1&offset=10&limit=5");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("X-Total-Count")).contains("1000");
    List<String> ids = Http.JSON.readTree(page.body()).findValuesAsText("id");
    assertThat(ids)
        .containsExactly("pool-1010", "pool-1011", "pool-1012", "pool-1013", "pool-1014");

    HttpResponse<String> bad = viewer.fetch(base + "/api/v1/agents?limit=lots");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("query parameter limit must be a whole number");

    JsonNode rack = viewer.getJson(base + "/api/v1/racks/rack-1010");
    assertThat(rack.path("rack").path("row").asText()).isEqualTo("site-0-room-1-row-0");
    assertThat(rack.path("pools").findValuesAsText("id")).containsExactly("pool-1010");
    assertThat(rack.path("nodes").findValuesAsText("id")).containsExactly("node-1010");

    assertThat(viewer.getJson(base + "/api/v1/racks/search?id=pool-77").path("rack").asText())
        .isEqualTo("rack-77");
    HttpResponse<String> unknown = viewer.fetch(base + "/api/v1/racks/search?id=nowhere");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no rack, node, pool or agent 'nowhere'");
  }
}
