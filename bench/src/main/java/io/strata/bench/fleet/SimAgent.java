package io.strata.bench.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.protocol.heartbeat.BlockDevice;
import io.strata.protocol.heartbeat.FileSystemUsage;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated storage node's agent, speaking the agent's protocol over HTTP: each heartbeat
 * carries the node's inventory, its pool's census, the tasks it runs and the results the leader has
 * not acknowledged; the answer's tasks start at once, its cancellations stop tasks, and results are
 * sent until acknowledged. A node that lost power sends nothing. Like the agent, it beats early
 * when a task ends ({@link #nextEnd}, scheduled by its driver). Not thread-safe: one heartbeat at a
 * time, from its driver.
 */
final class SimAgent {
  private final String id;
  private final String pool;
  private final String token;
  private final SimPools pools;
  private final SimTasks tasks;
  private final Inventory inventory;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Map<String, TaskResult> unacknowledged = new LinkedHashMap<>();
  private long sequence;
  private int copiesStarted;
  private volatile boolean powered = true;

  private record Running(Task task, SimTasks.Pending pending, double startedAt) {}

  SimAgent(String id, String pool, String token, SimPools pools, SimTasks tasks) {
    this.id = id;
    this.pool = pool;
    this.token = token;
    this.pools = pools;
    this.tasks = tasks;
    List<BlockDevice> drives = new ArrayList<>();
    List<FileSystemUsage> paths = new ArrayList<>();
    for (int d = 0; d < 12; d++) {
      drives.add(new BlockDevice("nvme" + d + "n1", 15L << 40, false, "SIM-NVME-15T", true));
      paths.add(new FileSystemUsage("/data/disk" + d, 15L << 40, 5L << 40, 10L << 40));
    }
    this.inventory = new Inventory(id, 64, 512L << 30, 2.0, drives, paths);
  }

  String id() {
    return id;
  }

  String pool() {
    return pool;
  }

  boolean powered() {
    return powered;
  }

  /** Power off: the node sends nothing more, and its running tasks die with it. */
  void powerOff() {
    powered = false;
  }

  /**
   * Sends one heartbeat to {@code base} and acts on the answer.
   *
   * @param now fleet seconds since the run began
   * @return whether the controller answered 200
   */
  boolean beat(HttpClient http, URI base, ObjectMapper json, double now)
      throws IOException, InterruptedException {
    finishDue(now);
    List<TaskProgress> progress = new ArrayList<>();
    for (Running r : running.values()) {
      progress.add(
          TaskProgress.of(
              r.task().id(),
              r.task().type(),
              TaskState.RUNNING,
              0,
              -1,
              0,
              r.pending().bytes(),
              false,
              Duration.ofMillis((long) ((now - r.startedAt()) * 1000))));
    }
    long objects = pools.contents(pool).size();
    Heartbeat beat =
        new Heartbeat(
            id,
            id,
            "sim",
            null,
            ++sequence,
            Instant.now(),
            inventory,
            List.of(new PoolReport(pool, pools.reachable(pool), null, objects << 32, objects)),
            progress,
            new ArrayList<>(unacknowledged.values()));
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("api/v1/agents/" + id + "/heartbeat"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(beat)))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      return false;
    }
    HeartbeatResponse answer = json.readValue(response.body(), HeartbeatResponse.class);
    answer.acknowledged().forEach(unacknowledged::remove);
    for (String cancel : answer.cancel()) {
      Running stopped = running.remove(cancel);
      if (stopped != null) {
        unacknowledged.put(cancel, TaskResult.cancelled(stopped.task()));
      }
    }
    copiesStarted = 0;
    for (Task task : answer.tasks()) {
      if (!running.containsKey(task.id()) && !unacknowledged.containsKey(task.id())) {
        running.put(task.id(), new Running(task, tasks.start(task, now), now));
        copiesStarted += task.type() == io.strata.protocol.task.TaskType.COPY ? 1 : 0;
      }
    }
    return true;
  }

  /**
   * Its wait for work ({@code GET api/v1/agents/{id}/work}) on {@code base}, for {@code waitMs}: as
   * the agent does when idle; null when it runs a task or its pool is unreachable.
   */
  HttpRequest waitForWork(URI base, long waitMs) {
    if (!running.isEmpty() || !pools.reachable(pool)) {
      return null;
    }
    return HttpRequest.newBuilder(
            base.resolve("api/v1/agents/" + id + "/work?pool=" + pool + "&waitMs=" + waitMs))
        .timeout(Duration.ofMillis(waitMs).plusSeconds(30))
        .header("Authorization", "Bearer " + token)
        .GET()
        .build();
  }

  /** Copy tasks its last heartbeat started. */
  int copiesStarted() {
    return copiesStarted;
  }

  /** When its first running task ends, in fleet seconds; NaN when it runs none. */
  double nextEnd() {
    double end = Double.NaN;
    for (Running r : running.values()) {
      if (!(r.pending().endsAt() >= end)) {
        end = r.pending().endsAt();
      }
    }
    return end;
  }

  /** Ends the tasks whose time has come; their results go with this heartbeat. */
  private void finishDue(double now) {
    var it = running.values().iterator();
    while (it.hasNext()) {
      Running r = it.next();
      if (r.pending().endsAt() <= now) {
        it.remove();
        unacknowledged.put(r.task().id(), r.pending().finish().get());
      }
    }
  }
}
