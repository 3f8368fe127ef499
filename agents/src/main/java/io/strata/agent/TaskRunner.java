package io.strata.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.dicom.DicomClassifier;
import io.strata.agent.dicom.DicomMetrics;
import io.strata.agent.dicom.PatientIdKey;
import io.strata.agent.mover.EncryptionStatus;
import io.strata.agent.mover.Mover;
import io.strata.agent.mover.MoverMetrics;
import io.strata.agent.mover.MoverSettings;
import io.strata.agent.mover.PoolRegistry;
import io.strata.agent.mover.TaskContext;
import io.strata.agent.task.ProgressTracker;
import io.strata.agent.task.TaskHandle;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's entry point for task work: the heartbeat submits the tasks it leased, reads progress
 * for its next report, and drains finished results. Runs at most {@link
 * MoverSettings#maxConcurrentTasks()} tasks at once; the rest wait in order of submission.
 *
 * <p>Thread-safe. Never throws for a task's failure: every outcome, including bad input and
 * unreachable pools, arrives as a {@link TaskResult}. Must be closed, which cancels running tasks.
 */
public final class TaskRunner implements AutoCloseable {

  private enum State {
    STARTED,
    CLOSED
  }

  private final Mover mover;
  private final MoverMetrics metrics;
  private final Clock clock;
  private final ExecutorService taskThreads;
  private final Map<String, TaskHandle> active = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<TaskResult> finished = new ConcurrentLinkedQueue<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTED);
  private final AtomicLong epoch = new AtomicLong(TaskContext.NO_EPOCH);
  private volatile Runnable whenTaskEnds = () -> {};

  /** A runner whose DICOM classification keeps no hash of patient identifiers. */
  public TaskRunner(
      PoolRegistry pools, MoverSettings settings, PrometheusRegistry registry, Clock clock) {
    this(pools, settings, null, registry, clock);
  }

  /**
   * @param pools resolves pool ids to endpoints and credentials
   * @param settings concurrency, bandwidth and retry settings
   * @param patientIdKey the fleet's key for hashing PatientIDs read from DICOM headers; null to
   *     keep no hash of them
   * @param registry where the runner's metrics (see {@link MoverMetrics}, {@link DicomMetrics}) are
   *     registered
   * @param clock used for retention checks and progress rates
   */
  public TaskRunner(
      PoolRegistry pools,
      MoverSettings settings,
      PatientIdKey patientIdKey,
      PrometheusRegistry registry,
      Clock clock) {
    this.metrics = new MoverMetrics(registry, this::progress);
    this.clock = clock;
    this.mover =
        new Mover(
            pools,
            settings,
            metrics,
            new DicomClassifier(patientIdKey, new DicomMetrics(registry)),
            clock);
    AtomicInteger n = new AtomicInteger();
    this.taskThreads =
        new ThreadPoolExecutor(
            settings.maxConcurrentTasks(),
            settings.maxConcurrentTasks(),
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "strata-task-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The cluster-map epoch the agent holds from now on, or {@link TaskContext#NO_EPOCH} when it has
   * lost touch with the controller. Running tasks see the change: a delete-copy task deletes
   * nothing once the epoch is not its own.
   */
  public void epoch(long currentEpoch) {
    epoch.set(currentEpoch);
  }

  /** Per pool, whether the copies written there under a policy's encryption were encrypted. */
  public EncryptionStatus encryption() {
    return mover.encryption();
  }

  /** The cluster-map epoch the agent holds now; {@link TaskContext#NO_EPOCH} when none. */
  public long epoch() {
    return epoch.get();
  }

  /**
   * Queues {@code task}, the agent holding {@code currentEpoch} now (see {@link #epoch}).
   * Submitting an id that is still queued or running returns the existing handle instead of running
   * it twice.
   *
   * @throws IllegalStateException when the runner is closed
   */
  public TaskHandle submit(Task task, long currentEpoch) {
    if (state.get() != State.STARTED) {
      throw new IllegalStateException("task runner is closed");
    }
    epoch(currentEpoch);
    ProgressTracker tracker = new ProgressTracker(task, clock);
    TaskHandle fresh = new TaskHandle(task, tracker);
    TaskHandle existing = active.putIfAbsent(task.id(), fresh);
    if (existing != null) {
      return existing;
    }
    metrics.transition(task.type(), null, TaskState.QUEUED);
    taskThreads.execute(() -> runHandle(fresh));
    return fresh;
  }

  /** Runs {@code task}, the agent holding {@code currentEpoch}, and waits for its result. */
  public TaskResult run(Task task, long currentEpoch) {
    return submit(task, currentEpoch).result().join();
  }

  /** Progress of every queued or running task. */
  public List<TaskProgress> progress() {
    List<TaskProgress> all = new ArrayList<>();
    active.values().forEach(h -> all.add(h.progress()));
    return all;
  }

  /** Progress of one queued or running task. */
  public Optional<TaskProgress> progress(String taskId) {
    return Optional.ofNullable(active.get(taskId)).map(TaskHandle::progress);
  }

  /** Cancels a queued or running task; false when no such task is active. */
  public boolean cancel(String taskId) {
    TaskHandle handle = active.get(taskId);
    if (handle == null) {
      return false;
    }
    handle.cancel();
    return true;
  }

  /**
   * Calls {@code listener} each time a task has ended, once its result is there for {@link
   * #drainResults}, on the task's thread; it must not block. Replaces the listener set before.
   */
  public void whenTaskEnds(Runnable listener) {
    whenTaskEnds = listener;
  }

  /** Results finished since the previous call, oldest first, for the next heartbeat. */
  public List<TaskResult> drainResults() {
    List<TaskResult> results = new ArrayList<>();
    for (TaskResult r; (r = finished.poll()) != null; ) {
      results.add(r);
    }
    return results;
  }

  private void runHandle(TaskHandle handle) {
    Task task = handle.task();
    ProgressTracker tracker = handle.tracker();
    TaskResult result;
    if (handle.cancellation().isCancelled()) {
      result = TaskResult.cancelled(task);
    } else {
      tracker.state(TaskState.RUNNING);
      metrics.transition(task.type(), TaskState.QUEUED, TaskState.RUNNING);
      result = mover.execute(new TaskContext(task, epoch::get, tracker, handle.cancellation()));
    }
    TaskState from = tracker.state();
    tracker.state(result.state());
    metrics.transition(task.type(), from, result.state());
    active.remove(task.id(), handle);
    finished.add(result);
    handle.complete(result);
    whenTaskEnds.run();
  }

  @Override
  public void close() {
    if (!state.compareAndSet(State.STARTED, State.CLOSED)) {
      return;
    }
    active.values().forEach(TaskHandle::cancel);
    taskThreads.shutdown();
    try {
      taskThreads.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    mover.close();
  }
}
