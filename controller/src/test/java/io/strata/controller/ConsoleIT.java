package io.strata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.demo.EmbeddedApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  /** The DOM after the page's scripts ran, as Chromium serializes it. */
  private String renderedPage() throws Exception {
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    Process chromium =
        new ProcessBuilder(
                List.of(
                    "chromium",
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--user-data-dir=" + profile,
                    "--virtual-time-budget=5000",
                    "--dump-dom",
                    "http://127.0.0.1:" + controller.port() + "/"))
            .redirectError(dir.resolve("chromium.log").toFile())
            .start();
    byte[] dom = chromium.getInputStream().readAllBytes();
    if (!chromium.waitFor(TestFleet.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      chromium.destroyForcibly();
      throw new AssertionError("chromium did not finish");
    }
    return new String(dom, StandardCharsets.UTF_8);
  }

  @Test
  void consoleShowsTopologyPoolsAndLiveAgents() throws Exception {
    await("both agents up")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                Http.json("http://127.0.0.1:" + controller.port() + "/api/v1/agents").size() == 2);
    await("console rendered with both agents up")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              String page = renderedPage();
              return page.contains("data-agent=\"agent-a\"")
                  && page.contains("data-agent=\"agent-b\"");
            });
    String page = renderedPage();
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
  }
}
