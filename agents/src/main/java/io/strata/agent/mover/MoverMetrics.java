package io.strata.agent.mover;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.TaskState;
import io.strata.agent.task.TaskType;

/**
 * Every Prometheus metric of the task runner and mover, declared in one place and registered on the
 * registry passed in (never the static default, so several agents can share a JVM). Thread-safe.
 */
public final class MoverMetrics {

  /** Bytes moved or read by tasks; labels {@code type}, {@code pool}. */
  public static final String TASK_BYTES = "strata_agent_task_bytes_total";

  /** Objects finished by tasks; labels {@code type}, {@code pool}, {@code outcome}. */
  public static final String TASK_OBJECTS = "strata_agent_task_objects_total";

  /** Tasks queued or running now; labels {@code type}, {@code state}. */
  public static final String TASKS = "strata_agent_tasks";

  /** Tasks finished; labels {@code type}, {@code state} (succeeded, failed, cancelled). */
  public static final String TASKS_FINISHED = "strata_agent_tasks_finished_total";

  /** Retries of S3 requests after transient errors; label {@code pool}. */
  public static final String TRANSFER_RETRIES = "strata_agent_transfer_retries_total";

  private final Counter bytes;
  private final Counter objects;
  private final Gauge tasks;
  private final Counter finished;
  private final Counter retries;

  public MoverMetrics(PrometheusRegistry registry) {
    bytes =
        Counter.builder()
            .name(TASK_BYTES)
            .help("Bytes copied, verified or read by agent tasks")
            .unit(io.prometheus.metrics.model.snapshots.Unit.BYTES)
            .labelNames("type", "pool")
            .register(registry);
    objects =
        Counter.builder()
            .name(TASK_OBJECTS)
            .help("Objects finished by agent tasks, by outcome")
            .labelNames("type", "pool", "outcome")
            .register(registry);
    tasks =
        Gauge.builder()
            .name(TASKS)
            .help("Agent tasks queued or running")
            .labelNames("type", "state")
            .register(registry);
    finished =
        Counter.builder()
            .name(TASKS_FINISHED)
            .help("Agent tasks finished, by final state")
            .labelNames("type", "state")
            .register(registry);
    retries =
        Counter.builder()
            .name(TRANSFER_RETRIES)
            .help("S3 requests retried after a transient error")
            .labelNames("pool")
            .register(registry);
  }

  void bytes(TaskType type, String pool, long n) {
    bytes.labelValues(label(type), pool).inc(n);
  }

  void object(TaskType type, String pool, KeyStatus outcome) {
    objects.labelValues(label(type), pool, outcome.name().toLowerCase(java.util.Locale.ROOT)).inc();
  }

  void retry(String pool) {
    retries.labelValues(pool).inc();
  }

  /** Moves one task of {@code type} from state {@code from} (nullable) to {@code to}. */
  public void transition(TaskType type, TaskState from, TaskState to) {
    if (from != null && !from.isTerminal()) {
      tasks.labelValues(label(type), label(from)).dec();
    }
    if (to.isTerminal()) {
      finished.labelValues(label(type), label(to)).inc();
    } else {
      tasks.labelValues(label(type), label(to)).inc();
    }
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(java.util.Locale.ROOT);
  }
}
