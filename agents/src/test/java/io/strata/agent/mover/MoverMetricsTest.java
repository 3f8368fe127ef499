package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MoverMetricsTest {

  /** The values of gauge {@code name} in {@code registry}, by task type. */
  static Map<String, Double> byType(PrometheusRegistry registry, String name) {
    Map<String, Double> out = new TreeMap<>();
    registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .flatMap(m -> m.getDataPoints().stream())
        .forEach(p -> out.put(p.getLabels().get("type"), ((GaugeDataPointSnapshot) p).getValue()));
    return out;
  }

  @Test
  void workLeftIsSummedPerTypeAndTheEtaIsTheLongestOfTasksThatHaveListedEverything() {
    PrometheusRegistry registry = new PrometheusRegistry();
    List<TaskProgress> tasks =
        List.of(
            // listed whole: 300 of 1,000 bytes done in 3 s, 7 s to go
            TaskProgress.of(
                "c1",
                TaskType.COPY,
                TaskState.RUNNING,
                3,
                10,
                300,
                1000,
                false,
                Duration.ofSeconds(3)),
            // still listing: what it has listed counts, its ETA does not
            TaskProgress.of(
                "c2",
                TaskType.COPY,
                TaskState.RUNNING,
                1,
                4,
                100,
                400,
                true,
                Duration.ofSeconds(1)),
            TaskProgress.of(
                "v1", TaskType.VERIFY, TaskState.QUEUED, 0, 0, 0, 0, false, Duration.ZERO));
    new MoverMetrics(registry, () -> tasks);

    assertThat(byType(registry, MoverMetrics.TASK_REMAINING_BYTES))
        .containsEntry("copy", 1000.0)
        .containsEntry("verify", 0.0)
        .containsOnlyKeys("scan", "copy", "verify", "delete_copy");
    assertThat(byType(registry, MoverMetrics.TASK_REMAINING_OBJECTS)).containsEntry("copy", 10.0);
    assertThat(byType(registry, MoverMetrics.TASKS_LISTING))
        .containsEntry("copy", 1.0)
        .containsEntry("verify", 0.0);
    assertThat(byType(registry, MoverMetrics.TASK_ETA))
        .containsEntry("copy", 7.0)
        .containsEntry("scan", 0.0);
  }
}
