package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.agent.pool.PoolCensus;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.runtime.TestClock;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.TestS3;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an agent tells the controller as it stops. */
class AgentShutdownTest {
  @TempDir Path dir;
  StandInController controller;
  final List<JsonNode> beats = new CopyOnWriteArrayList<>();
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T04:00:00Z"));
  final ObjectMapper json = AgentApplication.json();
  TaskRunner runner;
  Agent agent;

  @BeforeEach
  void start() throws Exception {
    // The first answer leases a scan of a pool the agent cannot reach; every answer acknowledges
    // the results the heartbeat carried.
    controller =
        new StandInController(
            StandInController.acknowledging(
                json,
                beats,
                n ->
                    n == 0
                        ? List.of(Task.scan("scan-1", "ds", KeyRange.ALL, "nowhere", 7))
                        : List.of()));
    // A pool nothing listens for: counted unreachable, reported all the same.
    PoolCensus census =
        new PoolCensus(
            "p1",
            TestS3.client("http://127.0.0.1:1", new PoolCredentials("key", "secret-0123456789")),
            10);
    agent = controller.agent(dir, clock, List.of(census));
    runner = controller.runner();
  }

  @AfterEach
  void stop() {
    controller.close();
  }

  @Test
  void aStoppingAgentSendsTheResultsItHoldsAndTakesNothingNew() throws Exception {
    agent.census();
    agent.heartbeatOnce();
    assertThat(beats.get(0).path("pools")).hasSize(1);
    await("the leased scan ran (and failed: its pool is unknown)")
        .atMost(Duration.ofSeconds(Long.getLong("strata.test.timeout.seconds", 60)))
        .until(() -> runner.progress("scan-1").isEmpty());

    agent.stop();

    assertThat(beats).hasSize(2);
    JsonNode last = beats.get(1);
    assertThat(last.path("results")).hasSize(1);
    assertThat(last.path("results").get(0).path("taskId").asText()).isEqualTo("scan-1");
    assertThat(last.path("results").get(0).path("state").asText()).isEqualTo("FAILED");
    assertThat(last.path("pools")).as("serves nothing: nothing is leased to it").isEmpty();
  }

  @Test
  void anAgentTheControllerNeverAnsweredSendsNothingAsItStops() throws Exception {
    agent.stop();

    assertThat(beats).isEmpty();
  }
}
