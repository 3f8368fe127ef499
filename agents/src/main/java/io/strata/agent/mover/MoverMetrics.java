package io.strata.agent.mover;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.TaskType;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

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

  /** Bytes the queued and running tasks have left, of what they have listed; label {@code type}. */
  public static final String TASK_REMAINING_BYTES = "strata_agent_task_remaining_bytes";

  /**
   * Objects the queued and running tasks have left, of what they have listed; label {@code type}.
   */
  public static final String TASK_REMAINING_OBJECTS = "strata_agent_task_remaining_objects";

  /** Running tasks still listing their range, whose work is not all known; label {@code type}. */
  public static final String TASKS_LISTING = "strata_agent_tasks_listing";

  /**
   * The longest ETA among the running tasks that have listed all their work, 0 when none has; label
   * {@code type}.
   */
  public static final String TASK_ETA = "strata_agent_task_eta_seconds";

  private final Counter bytes;
  private final Counter objects;
  private final Gauge tasks;
  private final Counter finished;
  private final Counter retries;

  /**
   * @param progress every queued or running task's progress, read at each scrape for the gauges of
   *     the work left
   */
  public MoverMetrics(PrometheusRegistry registry, Supplier<List<TaskProgress>> progress) {
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
    remaining(registry, progress);
  }

  /** The gauges of the work left; every task type is exported, zeros included. */
  private static void remaining(
      PrometheusRegistry registry, Supplier<List<TaskProgress>> progress) {
    perType(
        registry,
        TASK_REMAINING_BYTES,
        "Bytes agent tasks have left of what they listed",
        p -> Math.max(0, p.bytesTotal() - p.bytesDone()),
        Double::sum,
        progress);
    perType(
        registry,
        TASK_REMAINING_OBJECTS,
        "Objects agent tasks have left of what they listed",
        p -> Math.max(0, p.objectsTotal() - p.objectsDone()),
        Double::sum,
        progress);
    perType(
        registry,
        TASKS_LISTING,
        "Running agent tasks still listing their range",
        p -> p.listing() ? 1 : 0,
        Double::sum,
        progress);
    perType(
        registry,
        TASK_ETA,
        "Longest ETA among running agent tasks that have listed all their work",
        p -> p.eta() == null ? 0 : p.eta().toMillis() / 1000.0,
        Math::max,
        progress);
  }

  private static void perType(
      PrometheusRegistry registry,
      String name,
      String help,
      ToDoubleFunction<TaskProgress> value,
      DoubleBinaryOperator combine,
      Supplier<List<TaskProgress>> progress) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("type")
        .callback(
            cb -> {
              double[] byType = new double[TaskType.values().length];
              for (TaskProgress p : progress.get()) {
                int t = p.type().ordinal();
                byType[t] = combine.applyAsDouble(byType[t], value.applyAsDouble(p));
              }
              for (TaskType type : TaskType.values()) {
                cb.call(byType[type.ordinal()], label(type));
              }
            })
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
