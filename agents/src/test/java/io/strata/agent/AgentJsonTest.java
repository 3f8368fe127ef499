package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.protocol.task.*;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentJsonTest {

  private final ObjectMapper json = AgentApplication.json();

  @Test
  void deleteTaskRoundTripsThroughJson() throws Exception {
    Task task =
        Task.deleteCopy(
                "t-1",
                "fz-h03-imaging",
                new KeyRange("a", "m"),
                "landing",
                7,
                new DeleteProof(7, 2, Map.of("a/1", List.of(new VerifiedCopy("warm", 10, "ab")))))
            .withKeys(List.of("a/1"));

    Task back = json.readValue(json.writeValueAsString(task), Task.class);

    assertThat(back).isEqualTo(task);
  }

  @Test
  void controllerJsonWithDefaultsAndUnknownFieldsIsAccepted() throws Exception {
    String controller =
        """
        {"id":"t-2","type":"COPY","dataset":"ds","range":{"start":"a","end":""},
         "sourcePool":"p1","targetPool":"p2","epoch":3,"priority":"missing-copies"}
        """;

    Task task = json.readValue(controller, Task.class);

    assertThat(task.keys()).isEmpty();
    assertThat(task.range().contains("zzz")).isTrue();
    assertThat(task.proof()).isNull();
  }

  @Test
  void progressAndResultsSerializeTimesAsIsoStrings() throws Exception {
    TaskProgress progress =
        TaskProgress.of(
            "t", TaskType.COPY, TaskState.RUNNING, 1, 4, 100, 400, false, Duration.ofSeconds(10));
    ScanSummary summary =
        new ScanSummary(1, 2, Instant.parse("2024-01-01T00:00:00Z"), null, "00", List.of());

    assertThat(json.writeValueAsString(progress)).contains("\"eta\":\"PT30S\"");
    assertThat(json.writeValueAsString(summary)).contains("\"oldest\":\"2024-01-01T00:00:00Z\"");
    assertThat(json.readValue(json.writeValueAsString(summary), ScanSummary.class))
        .isEqualTo(summary);
  }

  @Test
  void resultWithCountsAndNamedKeysRoundTripsThroughJson() throws Exception {
    Task task = Task.copy("t-3", "ds", KeyRange.ALL, "p1", "p2", 3);
    KeyTally tally = new KeyTally();
    tally.add(KeyOutcome.of("a", KeyStatus.COPIED, 10, "00"));
    tally.add(KeyOutcome.because("b", KeyStatus.SOURCE_GONE, "source object was deleted"));
    TaskResult result = TaskResult.of(task, TaskState.SUCCEEDED, tally, null);

    TaskResult back = json.readValue(json.writeValueAsString(result), TaskResult.class);

    assertThat(back).isEqualTo(result);
    assertThat(back.count(KeyStatus.COPIED)).isEqualTo(1);
    assertThat(back.bytes(KeyStatus.COPIED)).isEqualTo(10);
    assertThat(back.keys()).extracting(KeyOutcome::key).containsExactly("b");
  }

  @Test
  void progressRateAndEtaFollowFromCounters() {
    TaskProgress progress =
        TaskProgress.of(
            "t", TaskType.COPY, TaskState.RUNNING, 1, 4, 200, 1000, false, Duration.ofSeconds(4));

    assertThat(progress.bytesPerSecond()).isEqualTo(50.0);
    assertThat(progress.eta()).isEqualTo(Duration.ofSeconds(16));
    assertThat(
            TaskProgress.of("t", TaskType.SCAN, TaskState.QUEUED, 0, 0, 0, 0, false, Duration.ZERO)
                .eta())
        .isNull();
  }
}
