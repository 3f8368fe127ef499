package io.strata.system;

import static io.strata.system.StandInAgent.runningScan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.StrataApplication;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.protocol.task.TaskProgress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle agents wait for work on the replica they beat to ({@code GET /api/v1/agents/{id}/work}) and
 * are answered as soon as work is queued for one of their pools: on the leader, and on a follower
 * that relays heartbeats, from the leader's record of the pools it queued work for. Two replicas
 * and stand-in agents of pool-2, whose first scan is the work.
 */
class WorkWaitIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> first;
  private EmbeddedApp<ControllerConfiguration> second;
  private Http viewer;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new TestFleet(dir, 3);
    viewer = fleet.as(Roles.VIEWER);
    fleet.agentLease = "60s"; // An agent beating every 10 minutes stays up while it is woken.
    first = fleet.startController("replica-1", new StrataApplication(), fleet.relayConfig());
    second = fleet.startController("replica-2", new StrataApplication(), fleet.relayConfig());
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  private static String api(EmbeddedApp<?> app, String path) {
    return "http://127.0.0.1:" + app.port() + "/api/v1" + path;
  }

  /** As many running tasks as an agent may hold (4 by default): its heartbeat leases nothing. */
  private static List<TaskProgress> full() {
    return IntStream.range(0, 4).mapToObj(i -> runningScan("not-a-task-" + i)).toList();
  }

  /** The agent's wait, sent on a thread of its own. */
  private CompletableFuture<HttpResponse<String>> waitFor(
      EmbeddedApp<?> replica, String agent, String pool) {
    String url =
        api(replica, "/agents/" + agent + "/work?pool=" + pool + "&waitMs=")
            + TestFleet.TIMEOUT.toMillis();
    Http client = fleet.as(agent);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return client.send("GET", url, null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static boolean work(HttpResponse<String> answer) throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new ObjectMapper().readTree(answer.body()).path("work").asBoolean();
  }

  private static boolean leasesAScanOf(JsonNode answer, String pool) {
    for (JsonNode task : answer.path("tasks")) {
      if (task.path("type").asText().equals("SCAN")
          && task.path("sourcePool").asText().equals(pool)) {
        return true;
      }
    }
    return false;
  }

  private double metric(EmbeddedApp<?> replica, String series) throws Exception {
    return value(viewer.fetch("http://127.0.0.1:" + replica.port() + "/metrics").body(), series);
  }

  @Test
  void anIdleAgentOnTheLeaderIsAnsweredWhenWorkIsQueuedForItsPool() throws Exception {
    EmbeddedApp<ControllerConfiguration> leader = leader();
    StandInAgent agent = new StandInAgent(fleet, "agent-x", "pool-2");

    // Waiting before pool-2 has any work: the leader holds the wait.
    CompletableFuture<HttpResponse<String>> waiting = waitFor(leader, "agent-x", "pool-2");
    await("the wait held on the leader")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> metric(leader, "strata_controller_work_waits") == 1);
    assertThat(waiting).isNotDone();
    // Its heartbeat makes pool-2 served, so the reconciler queues its scan; a full agent leases
    // none of it.
    assertThat(agent.beat(leader, 1, full(), List.of()).path("tasks")).isEmpty();

    HttpResponse<String> answer = waiting.get(TestFleet.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    assertThat(work(answer)).as("work was queued for pool-2").isTrue();
    assertThat(metric(leader, "strata_controller_work_wakes_total")).isEqualTo(1);

    // Work queued already when an agent comes to wait: answered at once, not held to be woken.
    HttpResponse<String> another =
        waitFor(leader, "agent-c", "pool-2").get(TestFleet.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(work(another)).isTrue();
    assertThat(metric(leader, "strata_controller_work_wakes_total")).isEqualTo(1);
    assertThat(leasesAScanOf(agent.beat(leader, 2, List.of(), List.of()), "pool-2")).isTrue();
  }

  @Test
  void anIdleAgentOnAFollowerIsAnsweredFromTheLeadersRecordOfWork() throws Exception {
    EmbeddedApp<ControllerConfiguration> leader = leader();
    EmbeddedApp<ControllerConfiguration> follower = leader == first ? second : first;
    await("the follower has read the leader's record of work")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                metric(follower, "strata_controller_relay_work_reads_total{outcome=\"answered\"}")
                    >= 1);
    // The leader's own queue signals its waits: it reads its record of work back no more.
    double leaderReads =
        metric(leader, "strata_controller_relay_work_reads_total{outcome=\"answered\"}");
    assertThat(Double.isNaN(leaderReads) ? 0 : leaderReads).as("the leader's own reads").isZero();
    StandInAgent agent = new StandInAgent(fleet, "agent-x", "pool-2");

    // Waiting before pool-2 has any work: the follower holds the wait.
    CompletableFuture<HttpResponse<String>> waiting = waitFor(follower, "agent-x", "pool-2");
    await("the wait held on the follower")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> metric(follower, "strata_controller_work_waits") == 1);
    assertThat(waiting).isNotDone();
    // The heartbeat, relayed, registers the agent; the leader then queues pool-2's scan.
    assertThat(agent.beat(follower, 1, full(), List.of()).path("tasks")).isEmpty();

    HttpResponse<String> answer = waiting.get(TestFleet.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    assertThat(work(answer)).as("work was queued for pool-2").isTrue();
    assertThat(metric(follower, "strata_controller_work_wakes_total")).isEqualTo(1);
    assertThat(metric(follower, "strata_controller_work_waits")).isZero();
    assertThat(leasesAScanOf(agent.beat(follower, 2, List.of(), List.of()), "pool-2")).isTrue();
  }

  @Test
  void anAgentBeatingEveryTenMinutesLeasesAndRunsItsPoolsScanWithinSecondsOnAFollower()
      throws Exception {
    EmbeddedApp<ControllerConfiguration> leader = leader();
    EmbeddedApp<ControllerConfiguration> follower = leader == first ? second : first;
    fleet.heartbeatInterval = "10m";
    EmbeddedApp<?> agent = fleet.startAgent("agent-a", 0, follower.port());
    String metrics = "http://127.0.0.1:" + agent.port() + "/metrics";

    // Its first heartbeat makes pool-0 served and the leader queues its scan: the agent, woken,
    // beats to lease it, runs it and beats again with its result, all before its next heartbeat
    // is due.
    await("a woken heartbeat and one with the scan's result")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              String text = fleet.as(Roles.METRICS).fetch(metrics).body();
              return value(text, "strata_agent_wake_ups_total") >= 1
                  && value(text, "strata_agent_heartbeats_total{outcome=\"ok\"}") >= 3;
            });
    assertThat(metric(follower, "strata_controller_work_wakes_total")).isGreaterThanOrEqualTo(1);
  }

  private static double value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).strip());
      }
    }
    return Double.NaN;
  }

  @Test
  void aWaitWithoutWorkEndsFalseAndBadWaitsAreRefusedNamingTheParameter() throws Exception {
    EmbeddedApp<ControllerConfiguration> leader = leader();
    Http agent = fleet.as("agent-x");
    String base = api(leader, "/agents/agent-x/work");

    assertThat(work(agent.send("GET", base + "?pool=pool-nowhere&waitMs=300", null))).isFalse();
    assertThat(work(agent.send("GET", base + "?pool=pool-nowhere&waitMs=0", null))).isFalse();

    var noPool = agent.send("GET", base + "?waitMs=300", null);
    assertThat(noPool.statusCode()).as(noPool.body()).isEqualTo(422);
    assertThat(noPool.body()).contains("pool:");
    for (String bad : List.of("", "soon", "-1", "600001", "1.5")) {
      var refused = agent.send("GET", base + "?pool=pool-2&waitMs=" + bad, null);
      assertThat(refused.statusCode()).as(bad + ": " + refused.body()).isEqualTo(422);
      assertThat(refused.body()).contains("waitMs:");
    }
    var otherAgent = fleet.as("agent-c").send("GET", base + "?pool=pool-2&waitMs=300", null);
    assertThat(otherAgent.statusCode()).isEqualTo(403);
    assertThat(viewer.send("GET", base + "?pool=pool-2&waitMs=300", null).statusCode())
        .isEqualTo(403);
    var replicaBoard =
        fleet.as(Roles.REPLICA).send("GET", api(leader, "/relay/work?since=x"), null);
    assertThat(replicaBoard.statusCode()).isEqualTo(422);
    assertThat(replicaBoard.body()).contains("since:");
    assertThat(agent.send("GET", api(leader, "/relay/work?since=0"), null).statusCode())
        .isEqualTo(403);
  }

  /** Waits until exactly one replica leads, and returns it. */
  private EmbeddedApp<ControllerConfiguration> leader() {
    return fleet.leaderOf(first, second);
  }
}
