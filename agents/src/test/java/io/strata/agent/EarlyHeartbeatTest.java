package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.runtime.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent whose task ended tells the controller before its heartbeat interval is over. */
class EarlyHeartbeatTest {
  static final Duration TIMEOUT =
      Duration.ofSeconds(Long.getLong("strata.test.timeout.seconds", 60));

  @TempDir Path dir;
  final List<JsonNode> beats = new CopyOnWriteArrayList<>();
  final ObjectMapper json = AgentApplication.json();
  StandInController controller;
  Agent agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.stop();
    }
    controller.close();
  }

  /**
   * Starts an agent beating every hour to a controller that leases {@code tasksPerBeat.get(i)} with
   * its i-th answer (none after the list) and acknowledges every result.
   */
  void start(List<List<Task>> tasksPerBeat) throws Exception {
    controller =
        new StandInController(
            StandInController.acknowledging(
                json, beats, n -> n < tasksPerBeat.size() ? tasksPerBeat.get(n) : List.of()));
    agent =
        controller.agent(
            dir,
            new TestClock(Instant.parse("2026-12-07T04:00:00Z")),
            List.of(),
            Duration.ofHours(1));
    agent.start();
  }

  static Task scan(String id) {
    // Of a pool the agent does not know: the task fails at once, which is all this test needs.
    return Task.scan(id, "ds", KeyRange.ALL, "nowhere", 7);
  }

  @Test
  void theResultOfAnEndedTaskGoesWithAHeartbeatBeforeTheIntervalIsOver() throws Exception {
    start(List.of(List.of(scan("scan-1"))));

    await("a second heartbeat, an hour before it is due")
        .atMost(TIMEOUT)
        .until(() -> beats.size() >= 2);
    assertThat(beats.get(1).path("results")).hasSize(1);
    assertThat(beats.get(1).path("results").get(0).path("taskId").asText()).isEqualTo("scan-1");
  }

  @Test
  void theNextTaskLeasedByTheEarlyHeartbeatEndsAndIsReportedTheSameWay() throws Exception {
    start(List.of(List.of(scan("scan-1")), List.of(scan("scan-2"))));

    await("the second task's result").atMost(TIMEOUT).until(() -> beats.size() >= 3);
    assertThat(beats.get(2).path("results").get(0).path("taskId").asText()).isEqualTo("scan-2");
  }

  @Test
  void anAgentWithNoTaskEndingBeatsOnlyOnItsInterval() throws Exception {
    start(List.of());

    await("the first heartbeat").atMost(TIMEOUT).until(() -> beats.size() >= 1);
    // A task ending would have brought a second heartbeat after a second; none ended.
    await("no second heartbeat for three times the early gap")
        .during(Agent.EARLY_GAP.multipliedBy(3))
        .atMost(Agent.EARLY_GAP.multipliedBy(3).plus(TIMEOUT))
        .until(() -> beats.size() == 1);
    assertThat(beats).hasSize(1);
  }
}
