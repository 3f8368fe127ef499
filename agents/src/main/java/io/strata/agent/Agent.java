package io.strata.agent;

import io.dropwizard.lifecycle.Managed;
import io.strata.agent.inventory.InventoryCollector;
import io.strata.agent.mover.TaskContext;
import io.strata.agent.pool.PoolCensus;
import io.strata.protocol.heartbeat.FileSystemUsage;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's main loop: every heartbeat interval it collects the node's inventory and the
 * last census of its pools and sends them to the controller; the first accepted heartbeat registers
 * it. Failures are logged and counted, never thrown: an agent keeps beating through a controller
 * fail-over.
 *
 * <p>When a task ends, the agent beats early, {@link #EARLY_GAP} after its last heartbeat at the
 * soonest, rather than at the end of the interval: the result reaches the controller, and the next
 * task the agent, without waiting up to a whole interval each (a repair's time would otherwise be
 * mostly heartbeat intervals when the copies are short). The extra heartbeats are at most one per
 * task ended and one per {@code EARLY_GAP}.
 *
 * <p>Must be started once and eventually stopped.
 */
public final class Agent implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  static final String VERSION = "0.1.0";

  private final String agentId;
  private final String node;
  private volatile String metricsUrl;
  private final Duration heartbeatInterval;
  private final Duration censusInterval;
  private final ControllerClient controller;
  private final InventoryCollector inventory;
  private final List<PoolCensus> censuses;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, PoolReport> poolReports = new ConcurrentHashMap<>();
  private final TaskRunner runner;
  private final PoolDirectory pools;
  // Results stay here until the leader acknowledges them, so none is lost to a failed heartbeat
  // or a leader change.
  private final Map<String, TaskResult> unacknowledged = new ConcurrentHashMap<>();
  private final AtomicReference<HeartbeatResponse> lastResponse = new AtomicReference<>();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private volatile Instant lastHeard;
  private volatile ScheduledExecutorService scheduler;
  private final AtomicBoolean waiting = new AtomicBoolean();
  private volatile boolean waitsForWork = true;

  /**
   * The longest an agent's wait for work is held: under the idle timeout of the controller's
   * connectors (Dropwizard's default, 30 s), which would otherwise close the connection first.
   */
  public static final Duration LONGEST_WAIT = Duration.ofSeconds(25);

  /**
   * How long an idle agent beating every {@code interval} waits for work at a time: three
   * intervals, at most {@link #LONGEST_WAIT}. A wait outlasts the heartbeats in between, so an idle
   * agent asks once for every few heartbeats, not once each: every wait is a request the replica
   * serves beside them.
   */
  public static Duration waitFor(Duration interval) {
    Duration three = interval.multipliedBy(3);
    return three.compareTo(LONGEST_WAIT) < 0 ? three : LONGEST_WAIT;
  }

  /** The shortest time between a heartbeat and an early one (see the class comment). */
  public static final Duration EARLY_GAP = Duration.ofSeconds(1);

  // The next heartbeat, and whether one runs now and another is wanted as soon as it ends: one
  // heartbeat at a time, from the schedule or early.
  private final Object beats = new Object();
  private ScheduledFuture<?> nextBeat; // guarded by beats
  private boolean beating; // guarded by beats
  private boolean beatSoon; // guarded by beats
  private long lastBeatNanos; // guarded by beats

  public Agent(
      String agentId,
      String node,
      String metricsUrl,
      Duration heartbeatInterval,
      Duration censusInterval,
      ControllerClient controller,
      InventoryCollector inventory,
      List<PoolCensus> censuses,
      AgentMetrics metrics,
      TaskRunner runner,
      PoolDirectory pools,
      Clock clock) {
    this.agentId = agentId;
    this.node = node;
    this.metricsUrl = metricsUrl;
    this.heartbeatInterval = heartbeatInterval;
    this.censusInterval = censusInterval;
    this.controller = controller;
    this.inventory = inventory;
    this.censuses = List.copyOf(censuses);
    this.metrics = metrics;
    this.runner = runner;
    this.pools = pools;
    this.clock = clock;
    runner.whenTaskEnds(this::beatEarly);
    metrics.info.setLabelValues(agentId, node == null ? "" : node, VERSION);
  }

  /** Where the agent serves its metrics, once its HTTP server knows its port. */
  public void setMetricsUrl(String metricsUrl) {
    this.metricsUrl = metricsUrl;
  }

  public String agentId() {
    return agentId;
  }

  @Override
  public synchronized void start() {
    if (scheduler != null) {
      throw new IllegalStateException("agent " + agentId + " already started");
    }
    scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "agent-" + agentId);
              t.setDaemon(true);
              return t;
            });
    // The census runs first so that the first heartbeat already carries the pools' state.
    scheduler.scheduleWithFixedDelay(
        this::census, 0, censusInterval.toMillis(), TimeUnit.MILLISECONDS);
    synchronized (beats) {
      scheduleBeat(0);
    }
    LOG.info("agent {} started, heartbeat every {}", agentId, heartbeatInterval);
  }

  /**
   * Stops the running tasks, then sends a last heartbeat with their results and any not yet
   * acknowledged: the controller gives the stopped tasks back to the queue at once rather than when
   * their leases lapse, which matters when a whole fleet restarts for an upgrade. The last
   * heartbeat names no pool, so nothing new is leased to it.
   */
  @Override
  public synchronized void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
      scheduler = null;
    }
    runner.close();
    if (lastResponse.get() != null) {
      heartbeat(false); // Only an agent the controller has answered can hold tasks.
    }
  }

  /** Counts every pool once. Safe to call from any thread. */
  void census() {
    for (PoolCensus census : censuses) {
      PoolReport report = census.count();
      poolReports.put(report.pool(), report);
      metrics.poolUp.labelValues(report.pool()).set(report.reachable() ? 1 : 0);
      if (report.reachable()) {
        metrics.poolUsed.labelValues(report.pool()).set(report.usedBytes());
        metrics.poolObjects.labelValues(report.pool()).set(report.objects());
      } else {
        LOG.warn("agent {}: pool {} unreachable: {}", agentId, report.pool(), report.error());
      }
    }
  }

  /** Sends one heartbeat; never throws. */
  void heartbeatOnce() {
    heartbeat(true);
  }

  /** Schedules the next heartbeat in {@code delayNanos}; the caller holds {@code beats}. */
  private void scheduleBeat(long delayNanos) {
    ScheduledExecutorService s = scheduler;
    try {
      nextBeat =
          s == null ? null : s.schedule(this::beatOnSchedule, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      nextBeat = null; // Stopping.
    }
  }

  private void beatOnSchedule() {
    synchronized (beats) {
      beating = true;
      beatSoon = false;
    }
    try {
      heartbeatOnce();
    } finally {
      synchronized (beats) {
        beating = false;
        lastBeatNanos = System.nanoTime();
        scheduleBeat((beatSoon ? EARLY_GAP : heartbeatInterval).toNanos());
      }
    }
  }

  /**
   * A task ended, or work was queued for the agent: the next heartbeat goes {@link #EARLY_GAP}
   * after the last at the soonest, or as scheduled if that comes sooner. Does nothing before {@link
   * #start} or after {@link #stop}.
   */
  private void beatEarly() {
    synchronized (beats) {
      if (beating) {
        beatSoon = true; // The running heartbeat may have drained the results before this one.
        return;
      }
      ScheduledFuture<?> next = nextBeat;
      if (next == null) {
        return;
      }
      long delay = Math.max(0, lastBeatNanos + EARLY_GAP.toNanos() - System.nanoTime());
      // A heartbeat that cannot be cancelled has started and drains this result.
      if (next.getDelay(TimeUnit.NANOSECONDS) > delay && next.cancel(false)) {
        scheduleBeat(delay);
      }
    }
  }

  /**
   * Sends one heartbeat; never throws.
   *
   * @param serving false for the last one: it reports no pool and takes nothing new
   */
  private void heartbeat(boolean serving) {
    try {
      Inventory inv = inventory.collect();
      for (FileSystemUsage fs : inv.fileSystems()) {
        metrics.dataPathCapacity.labelValues(fs.path()).set(fs.totalBytes());
        metrics.dataPathUsed.labelValues(fs.path()).set(fs.usedBytes());
      }
      for (TaskResult result : runner.drainResults()) {
        unacknowledged.put(result.taskId(), result);
      }
      Heartbeat beat =
          new Heartbeat(
              agentId,
              node,
              VERSION,
              metricsUrl,
              sequence.incrementAndGet(),
              clock.instant(),
              inv,
              serving ? reports() : List.of(),
              runner.progress(),
              new ArrayList<>(unacknowledged.values()));
      HeartbeatResponse response = controller.heartbeat(beat);
      lastHeard = clock.instant();
      response.acknowledged().forEach(unacknowledged::remove);
      if (!serving) {
        return;
      }
      runner.epoch(response.mapEpoch());
      response.cancel().forEach(runner::cancel);
      pools.learn(response.pools());
      for (Task task : response.tasks()) {
        if (!unacknowledged.containsKey(task.id()) && runner.progress(task.id()).isEmpty()) {
          runner.submit(task, response.mapEpoch());
        }
      }
      if (response.leaderUrl() != null) {
        controller.follow(response.leaderUrl());
      }
      if (lastResponse.getAndSet(response) == null) {
        LOG.info("agent {} registered with the controller", agentId);
      }
      waitForWork();
      lastError.set(null);
      metrics.heartbeats.labelValues("ok").inc();
      metrics.lastHeartbeat.set(clock.millis() / 1000.0);
      metrics.mapEpoch.set(response.mapEpoch());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Controller down or failing over: count it and try again next interval. The message names
      // the replica, which may be a leader's advertised URL that this node cannot reach.
      metrics.heartbeats.labelValues("failed").inc();
      String message = "heartbeat to " + controller.base() + " failed: " + e;
      controller.failOver();
      if (!message.equals(lastError.getAndSet(message))) {
        LOG.warn("agent {}: {}; next to {}", agentId, message, controller.base());
      }
      forgetEpochAfterLease();
    }
  }

  /**
   * An idle agent waits for work on the replica it beats to ({@link #waitFor}): when work is queued
   * for one of its pools it beats at once (at {@link #EARLY_GAP} after the last heartbeat at the
   * soonest) and leases it, rather than up to a whole interval later. One wait at a time, held
   * across its heartbeats, and the next asked as soon as one ends without work (at the next
   * heartbeat if it ended before half its time: the replica holds too many, or does not lead); none
   * while a task runs (the agent beats when it ends), and none against a controller that knows no
   * such wait.
   */
  private void waitForWork() {
    Duration wait = waitFor(heartbeatInterval);
    if (!waitsForWork || !runner.progress().isEmpty()) {
      return;
    }
    Set<String> served = new TreeSet<>();
    for (PoolReport report : poolReports.values()) {
      if (report.reachable()) {
        served.add(report.pool());
      }
    }
    if (served.isEmpty() || !waiting.compareAndSet(false, true)) {
      return;
    }
    long asked = System.nanoTime();
    controller
        .awaitWork(agentId, served, wait)
        .whenComplete(
            (work, error) -> {
              waiting.set(false);
              if (Boolean.TRUE.equals(work)) {
                metrics.wakeUps.inc();
                beatEarly();
              } else if (Boolean.FALSE.equals(work)
                  && System.nanoTime() - asked >= wait.toNanos() / 2
                  && scheduler != null) {
                waitForWork(); // Held its time without work: wait on. Else at the next heartbeat.
              } else if (error != null
                  && (error instanceof UnsupportedOperationException
                      || error.getCause() instanceof UnsupportedOperationException)) {
                waitsForWork = false;
                LOG.info(
                    "agent {}: the controller knows no wait for work; tasks are leased at"
                        + " heartbeats only",
                    agentId);
              }
            });
  }

  /**
   * Once the controller has not answered for its whole lease, the map may have moved on without
   * this agent hearing of it, and the controller has given its tasks back to the queue: the agent
   * holds no epoch until it hears again, so a delete-copy task still running deletes nothing more.
   */
  private void forgetEpochAfterLease() {
    HeartbeatResponse last = lastResponse.get();
    Instant heard = lastHeard;
    if (last != null
        && heard != null
        && heard.plusSeconds(last.leaseSeconds()).isBefore(clock.instant())) {
      runner.epoch(TaskContext.NO_EPOCH);
    }
  }

  /** The controller's last answer; null until the first heartbeat was accepted. */
  public HeartbeatResponse lastResponse() {
    return lastResponse.get();
  }

  /** The controller replica the next heartbeat goes to: the leader, once a follower named it. */
  public String controllerUrl() {
    return controller.base().toString();
  }

  /** Why the last heartbeat failed; null when it succeeded. */
  public String lastError() {
    return lastError.get();
  }

  /** The last census of each pool, with whether it met the encryption its copies were asked. */
  private List<PoolReport> reports() {
    List<PoolReport> out = new ArrayList<>();
    for (PoolReport report : poolReports.values()) {
      out.add(report.withEncryptionUnmet(runner.encryption().unmet(report.pool()).orElse(null)));
    }
    return out;
  }

  /** The last census of each pool. */
  public Map<String, PoolReport> poolReports() {
    return Map.copyOf(poolReports);
  }
}
