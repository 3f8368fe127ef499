package io.strata.system;

import static io.strata.system.StandInAgent.runningScan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.strata.agent.AgentApplication;
import io.strata.agent.AgentConfiguration;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.cli.OperatorCli;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskFailure;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.TaskType;
import io.strata.runtime.s3.TestS3;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end on real components: embedded ZooKeeper, three S3Proxy pools, two
 * controller replicas and two agents.
 */
class ControllerAgentsIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> first;
  private EmbeddedApp<ControllerConfiguration> second;
  private EmbeddedApp<AgentConfiguration> agentA;
  private Http viewer;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new TestFleet(dir, 3);
    viewer = fleet.as(Roles.VIEWER);
    first = fleet.startController("replica-1");
    second = fleet.startController("replica-2");
    agentA = fleet.startAgent("agent-a", 0, first.port());
    // The second agent talks to the other replica: both must see both agents.
    fleet.startAgent("agent-b", 1, second.port());
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  private static String api(EmbeddedApp<?> app, String path) {
    return "http://127.0.0.1:" + app.port() + "/api/v1" + path;
  }

  private JsonNode agent(EmbeddedApp<?> controller, String id) throws Exception {
    return viewer.getJson(api(controller, "/agents/" + id));
  }

  @Test
  void anOperatorChangeThatChangesNothingKeepsTheMapsEpoch() throws Exception {
    Http operator = fleet.as(Roles.OPERATOR);
    String weight = api(first, "/cluster-map/pools/pool-0/weight");
    String drain = api(first, "/cluster-map/pools/pool-2/drain");
    long epoch = viewer.getJson(api(first, "/cluster-map")).get("epoch").asLong();

    var changed = Http.JSON.readTree(operator.send("PUT", weight, "{\"weight\": 7}").body());
    var again = Http.JSON.readTree(operator.send("PUT", weight, "{\"weight\": 7.0}").body());
    var drained = Http.JSON.readTree(operator.postJson(drain, "").body());
    var drainedAgain = Http.JSON.readTree(operator.postJson(drain, "").body());

    assertThat(changed.get("epoch").asLong()).isEqualTo(epoch + 1);
    assertThat(changed.get("pools")).hasSize(1);
    assertThat(again.get("epoch").asLong()).isEqualTo(epoch + 1);
    assertThat(again.get("pools")).isEmpty();
    assertThat(drained.get("epoch").asLong()).isEqualTo(epoch + 2);
    assertThat(drainedAgain.get("epoch").asLong()).isEqualTo(epoch + 2);
    assertThat(drainedAgain.get("pools")).isEmpty();
    await("the other replica at the same epoch")
        .atMost(TestFleet.TIMEOUT)
        .until(
            () -> viewer.getJson(api(second, "/cluster-map")).get("epoch").asLong(),
            e -> e == epoch + 2);

    // A pool drained and emptied is out: draining it again changes nothing either.
    String drainEmpty = api(first, "/cluster-map/pools/pool-1/drain");
    assertThat(operator.postJson(drainEmpty, "").statusCode()).isEqualTo(200);
    await("pool-1, empty, out")
        .atMost(TestFleet.TIMEOUT)
        .until(
            () -> viewer.getJson(api(first, "/cluster-map/pools/pool-1")).get("state").asText(),
            state -> state.equals("out"));
    long out = viewer.getJson(api(first, "/cluster-map")).get("epoch").asLong();
    var outAgain = Http.JSON.readTree(operator.postJson(drainEmpty, "").body());
    assertThat(outAgain.get("epoch").asLong()).isEqualTo(out);
    assertThat(outAgain.get("pools")).isEmpty();
  }

  @Test
  void aReplicaThatPlansByOtherSettingsIsNamedUntilItLeaves() throws Exception {
    await("the two replicas agree")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> viewer.getJson(api(first, "/replicas")).get("replicas").size() == 2);
    assertThat(viewer.getJson(api(first, "/replicas")).get("policiesAgree").asBoolean()).isTrue();

    fleet.reconcileYaml = fleet.reconcileYaml + "  grace: 7m\n";
    try (EmbeddedApp<ControllerConfiguration> third = fleet.startController("replica-3")) {
      await("replica-1 names replica-3")
          .atMost(TestFleet.TIMEOUT)
          .until(
              () -> viewer.getJson(api(first, "/replicas")).get("policiesDiffering").toString(),
              differing -> differing.equals("[\"replica-3\"]"));
      var fromThird = viewer.getJson(api(third, "/replicas"));
      assertThat(fromThird.get("policiesDiffering").toString())
          .isEqualTo("[\"replica-1\",\"replica-2\"]");
      assertThat(fromThird.get("identityFilesAgree").asBoolean()).isTrue();
      assertThat(viewer.fetch("http://127.0.0.1:" + first.port() + "/metrics").body())
          .contains("strata_controller_policies_agree 0.0")
          .contains("strata_controller_identity_files_agree 1.0");
    }
    await("agreement once replica-3 has left")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> viewer.getJson(api(first, "/replicas")).get("policiesAgree").asBoolean());
  }

  @Test
  void aReplicaTakesItsEditedPolicyFilesWithoutARestartButNotAnEditItCannotUse() throws Exception {
    // A policy for datasets this fleet does not have: replica-3 only follows anyway.
    Path file = dir.resolve("policies.yaml");
    String policy =
        """
        policy: %s
        datasets: ["elsewhere-*"]
        recordClass: none
        phases: {0d: %s}
        retention: {minimum: 0d}
        """;
    Files.writeString(file, policy.formatted("elsewhere-v1", "1 × hot-nvme spread room"));
    fleet.reconcileYaml = fleet.reconcileYaml + "  policyFiles: [" + file + "]\n";
    try (EmbeddedApp<ControllerConfiguration> third = fleet.startController("replica-3")) {
      JsonNode v1 = viewer.getJson(api(third, "/policies"));
      assertThat(v1.get("files").toString()).isEqualTo("[\"" + file + "\"]");
      assertThat(v1.get("policies").get(0).get("name").asText()).isEqualTo("elsewhere-v1");
      assertThat(v1.get("policies").get(0).get("phases").toString())
          .isEqualTo("[\"0d: 1 × hot-nvme spread room\"]");
      assertThat(v1.get("refused").isNull()).isTrue();

      Files.writeString(file, policy.formatted("elsewhere-v2", "1 × warm spread room"));
      JsonNode refused =
          await("the edit refused")
              .atMost(TestFleet.TIMEOUT)
              .until(
                  () -> viewer.getJson(api(third, "/policies")), p -> !p.get("refused").isNull());
      assertThat(refused.get("refused").get("problems").get(0).asText())
          .startsWith(file + ":4:")
          .contains("tier 'warm' is unknown");
      assertThat(refused.get("policies").get(0).get("name").asText()).isEqualTo("elsewhere-v1");
      assertThat(refused.get("sha256").asText()).isEqualTo(v1.get("sha256").asText());
      String metrics = "http://127.0.0.1:" + third.port() + "/metrics";
      assertThat(viewer.fetch(metrics).body())
          .contains("strata_controller_policy_files_usable 0.0");

      Files.writeString(file, policy.formatted("elsewhere-v2", "1 × hot-nvme spread room"));
      JsonNode v2 =
          await("the edit taken")
              .atMost(TestFleet.TIMEOUT)
              .until(
                  () -> viewer.getJson(api(third, "/policies")),
                  p -> p.get("policies").get(0).get("name").asText().equals("elsewhere-v2"));
      assertThat(v2.get("refused").isNull()).isTrue();
      assertThat(v2.get("sha256").asText()).isNotEqualTo(v1.get("sha256").asText());
      assertThat(viewer.fetch(metrics).body())
          .contains("strata_controller_policy_files_usable 1.0");
      await("replica-1 sees what replica-3 plans by now")
          .atMost(TestFleet.TIMEOUT)
          .until(
              () -> viewer.getJson(api(first, "/replicas")).get("replicas").toString(),
              r -> r.contains("\"policiesSha256\":\"" + v2.get("sha256").asText() + "\""));

      List<String> reloads = new ArrayList<>();
      fleet
          .as(Roles.AUDITOR)
          .getJson(api(third, "/audit?principal=-"))
          .forEach(
              r -> {
                if (r.get("action").asText().equals("reload policies")
                    && r.get("replica").asText().equals("replica-3")) {
                  reloads.add(r.get("outcome").asInt() + " " + r.get("parametersSha256").asText());
                }
              });
      assertThat(reloads).hasSize(2);
      assertThat(reloads.get(0)).startsWith("422 ");
      assertThat(reloads.get(1)).isEqualTo("200 " + v2.get("sha256").asText());
    }
  }

  @Test
  void agentsRegisterAndEveryReplicaSeesThem() {
    await("both agents up on both replicas")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              for (var controller : List.of(first, second)) {
                JsonNode agents = viewer.getJson(api(controller, "/agents"));
                List<String> up = new ArrayList<>();
                agents.forEach(a -> up.add(a.get("id").asText() + "=" + a.get("state").asText()));
                if (!up.equals(List.of("agent-a=UP", "agent-b=UP"))) {
                  return false;
                }
              }
              return true;
            });
  }

  @Test
  void heartbeatsCarryTheNodeInventoryAndThePoolsCensus() throws Exception {
    await("agent-a registered")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> agent(first, "agent-a").get("state").asText().equals("UP"));
    JsonNode registered = agent(first, "agent-a");
    JsonNode inventory = registered.get("inventory");
    assertThat(inventory.get("hostname").asText()).isNotBlank();
    assertThat(inventory.get("cpus").asInt()).isPositive();
    assertThat(inventory.get("memoryBytes").asLong()).isPositive();
    assertThat(inventory.get("fileSystems").get(0).get("path").asText()).endsWith("data-agent-a");
    assertThat(inventory.get("fileSystems").get(0).get("totalBytes").asLong()).isPositive();

    MinioClient pool0 = TestS3.client(fleet.pools.get(0).endpoint().toString(), TestFleet.KEYS);
    try {
      pool0.makeBucket(MakeBucketArgs.builder().bucket("h01-imaging").build());
    } catch (ErrorResponseException e) {
      // The leader's reconciler creates every dataset's bucket on every pool, maybe first.
      assertThat(e.errorResponse().code()).isEqualTo("BucketAlreadyOwnedByYou");
    }
    byte[] body = new byte[300_000];
    for (int i = 0; i < 3; i++) {
      pool0.putObject(
          PutObjectArgs.builder()
              .bucket("h01-imaging")
              .object("studies/2024/0" + i + ".dcm")
              .stream(new ByteArrayInputStream(body), body.length, -1)
              .build());
    }
    long firstSequence = registered.get("sequence").asLong();
    await("census of pool-0 reaches the controller")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode pool = viewer.getJson(api(second, "/cluster-map/pools/pool-0"));
              return pool.get("objects").asLong() == 3 && pool.get("usedBytes").asLong() == 900_000;
            });
    assertThat(agent(first, "agent-a").get("sequence").asLong()).isGreaterThan(firstSequence);
    String metrics = viewer.fetch("http://127.0.0.1:" + first.port() + "/metrics").body();
    assertThat(metrics)
        .contains(
            "strata_pool_used_bytes{pool=\"pool-0\",rack=\"rack-0\",room=\"room-0\",site=\"site-1\",tier=\"hot-nvme\"} 900000.0");
    String agentMetrics =
        fleet.as(Roles.METRICS).fetch("http://127.0.0.1:" + agentA.port() + "/metrics").body();
    assertThat(agentMetrics).contains("strata_agent_pool_objects{pool=\"pool-0\"} 3.0");
    assertThat(agentMetrics).contains("strata_agent_heartbeats_total{outcome=\"ok\"}");
  }

  @Test
  void aStoppedAgentIsMarkedDownAfterItsLeaseAndCanThenBeForgotten() throws Exception {
    await("agent-a up")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> agent(second, "agent-a").get("state").asText().equals("UP"));
    agentA.close();
    await("agent-a down on both replicas")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                agent(first, "agent-a").get("state").asText().equals("DOWN")
                    && agent(second, "agent-a").get("state").asText().equals("DOWN"));
    assertThat(agent(first, "agent-b").get("state").asText()).isEqualTo("UP");
    assertThat(viewer.fetch("http://127.0.0.1:" + first.port() + "/metrics").body())
        .contains("strata_agents{state=\"down\"} 1.0");

    // Its node retired: an operator forgets it, on one replica for all; an agent up is refused.
    Http operator = fleet.as(Roles.OPERATOR);
    var up = operator.send("DELETE", api(first, "/agents/agent-b"), null);
    assertThat(up.statusCode()).isEqualTo(409);
    assertThat(up.body()).contains("agent 'agent-b' is up");
    assertThat(operator.send("DELETE", api(first, "/agents/agent-a"), null).statusCode())
        .isEqualTo(200);
    assertThat(viewer.fetch(api(first, "/agents/agent-a")).statusCode()).isEqualTo(404);
    await("agent-a forgotten on the other replica")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> viewer.fetch(api(second, "/agents/agent-a")).statusCode() == 404);
    assertThat(viewer.fetch("http://127.0.0.1:" + second.port() + "/metrics").body())
        .contains("strata_agents{state=\"down\"} 0.0")
        .doesNotContain("agent=\"agent-a\"");
    assertThat(operator.send("DELETE", api(first, "/agents/agent-a"), null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void theLeaderTakesRelayedHeartbeatsOnlyFromAReplicaAndNamesWhatIsWrongInABatch()
      throws Exception {
    EmbeddedApp<ControllerConfiguration> leader = leader();
    EmbeddedApp<ControllerConfiguration> follower = leader == first ? second : first;
    Http replica = fleet.as(Roles.REPLICA);
    String batch =
        "{\"beats\":[{\"agentId\":\"agent-x\",\"sequence\":1,\"pools\":[],\"results\":[]}]}";

    var taken = replica.postJson(api(leader, "/relay/heartbeats"), batch);
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
    JsonNode answers = new ObjectMapper().readTree(taken.body()).get("answers");
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).get("tasks")).isEmpty(); // agent-x serves no pool.

    var empty = replica.postJson(api(leader, "/relay/heartbeats"), "{\"beats\":[]}");
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(empty.body()).contains("beats: at least one heartbeat");
    var noId =
        replica.postJson(
            api(leader, "/relay/heartbeats"), "{\"beats\":[{\"agentId\":\"a\"},{\"sequence\":2}]}");
    assertThat(noId.statusCode()).isEqualTo(422);
    assertThat(noId.body()).contains("beats[1].agentId is missing");
    assertThat(replica.postJson(api(leader, "/relay/heartbeats"), "{\"beats\":").statusCode())
        .isEqualTo(400);
    var notLeading = replica.postJson(api(follower, "/relay/heartbeats"), batch);
    assertThat(notLeading.statusCode()).isEqualTo(503);
    assertThat(notLeading.body()).contains("does not lead");
    var fromAnAgent = fleet.as("agent-x").postJson(api(leader, "/relay/heartbeats"), batch);
    assertThat(fromAnAgent.statusCode()).isEqualTo(403);
    // The agent a refused or accepted batch named was never registered by it: only a follower
    // that took its heartbeat whole registers it.
    assertThat(viewer.send("GET", api(leader, "/agents/agent-x"), null).statusCode())
        .isEqualTo(404);
  }

  /** Waits until exactly one replica leads, and returns it. */
  private EmbeddedApp<ControllerConfiguration> leader() {
    return fleet.leaderOf(first, second);
  }

  @Test
  void theOtherReplicaTakesOverLeadershipWithAHigherEpoch() throws Exception {
    EmbeddedApp<ControllerConfiguration> leader = leader();
    EmbeddedApp<ControllerConfiguration> follower = leader == first ? second : first;
    long epoch = viewer.getJson(api(leader, "/leader")).get("epoch").asLong();
    assertThat(viewer.getJson(api(follower, "/leader")).get("epoch").asLong()).isEqualTo(-1);

    leader.close();

    await("follower leads")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> viewer.getJson(api(follower, "/leader")).get("leader").asBoolean());
    assertThat(viewer.getJson(api(follower, "/leader")).get("epoch").asLong()).isGreaterThan(epoch);
  }

  @Test
  void anUnreachablePoolIsUnhealthyAndTheControllerKeepsServing() throws Exception {
    String ready = "http://127.0.0.1:" + TestFleet.adminPort(first) + "/ready";
    await("ready once connected to ZooKeeper")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> Http.get(ready).statusCode() == 200);
    fleet.pools.get(2).close();
    await("pool-2 unhealthy")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              var response =
                  Http.get("http://127.0.0.1:" + TestFleet.adminPort(first) + "/healthcheck");
              return response.statusCode() == 500
                  && response.body().contains("\"pool-pool-2\":{\"healthy\":false");
            });
    var health = Http.get("http://127.0.0.1:" + TestFleet.adminPort(first) + "/healthcheck").body();
    assertThat(health).contains("\"pool-pool-0\":{\"healthy\":true");
    assertThat(viewer.getJson(api(first, "/cluster-map/pools")).size()).isEqualTo(3);
    // A pool outage does not take the replica out of a load balancer: readiness is its own.
    assertThat(Http.get(ready).statusCode()).isEqualTo(200);

    fleet.zookeeper.stop();
    await("not ready without ZooKeeper")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> Http.get(ready).statusCode() == 503);
    fleet.zookeeper.restart();
    await("ready again")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> Http.get(ready).statusCode() == 200);
  }

  private static List<String> ids(JsonNode tasks) {
    List<String> out = new ArrayList<>();
    tasks.forEach(t -> out.add(t.path("task").path("id").asText(t.path("id").asText())));
    return out;
  }

  @Test
  void tasksAreStoppedWhenCancelledOrWhenTheQueueDoesNotHoldThemForTheAgent() throws Exception {
    StandInAgent agentX = new StandInAgent(fleet, "agent-x", "pool-2");
    Http operator = fleet.as(Roles.OPERATOR);
    EmbeddedApp<ControllerConfiguration> leader = leader();
    EmbeddedApp<ControllerConfiguration> follower = leader == first ? second : first;

    // The reconciler scans pool-2 once an agent serves it: the scan is leased to agent-x.
    String task = agentX.leaseAScan(leader);

    // Running what the queue holds for it: nothing to stop. A task it never leased: stopped.
    JsonNode answer =
        agentX.beat(
            leader, 2, List.of(runningScan(task), runningScan("scan-never-leased")), List.of());
    assertThat(answer.path("cancel").toString()).isEqualTo("[\"scan-never-leased\"]");

    // Another agent's result for it does not count: it is still agent-x's, with no failure.
    StandInAgent agentC = new StandInAgent(fleet, "agent-c", "pool-2");
    JsonNode other =
        agentC.beat(
            leader,
            1,
            List.of(),
            List.of(
                new TaskResult(
                    task,
                    TaskType.SCAN,
                    TaskState.FAILED,
                    null,
                    null,
                    null,
                    TaskFailure.permanent("not its task"))));
    assertThat(other.path("acknowledged").toString()).isEqualTo("[\"" + task + "\"]");
    JsonNode queued = queued(operator, leader, task);
    assertThat(queued.path("agent").asText()).isEqualTo("agent-x");
    assertThat(queued.path("attempts").asInt()).isZero();

    // An operator cancels it: only the leader holds the queue.
    var refused = operator.send("DELETE", api(follower, "/tasks/" + task), null);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("does not lead").contains(":" + leader.port());
    var viewerRefused = viewer.send("DELETE", api(leader, "/tasks/" + task), null);
    assertThat(viewerRefused.statusCode()).isEqualTo(403);
    // The operator's command line, as an operator would cancel it.
    var out = new java.io.ByteArrayOutputStream();
    int status =
        OperatorCli.run(
            new String[] {"--url", "http://127.0.0.1:" + leader.port(), "cancel", task},
            new java.io.PrintStream(out, true),
            System.err,
            Map.of("STRATA_TOKEN", fleet.token(Roles.OPERATOR)));
    assertThat(status).isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).path("state").asText())
        .isEqualTo("stopping");
    assertThat(queued(operator, leader, task).path("cancelReason").asText())
        .isEqualTo("cancelled by an operator");
    assertThat(viewer.fetch("http://127.0.0.1:" + leader.port() + "/metrics").body())
        .contains("strata_tasks{state=\"cancelling\",type=\"scan\"} 1.0");

    // Its agent is told to stop it, and once it reports it stopped the task is gone.
    answer = agentX.beat(leader, 3, List.of(runningScan(task)), List.of());
    assertThat(answer.path("cancel").toString()).isEqualTo("[\"" + task + "\"]");
    assertThat(ids(answer.path("tasks"))).doesNotContain(task);
    // It failed as it stopped: asked to stop, it is not tried again.
    Task scan =
        Task.scan(task, "h01-imaging", new io.strata.protocol.task.KeyRange("", null), "pool-2", 0);
    TaskResult failed = TaskResult.failed(scan, TaskFailure.transientFailure("pool-2 went away"));
    answer = agentX.beat(leader, 4, List.of(), List.of(failed));
    assertThat(answer.path("acknowledged").toString()).isEqualTo("[\"" + task + "\"]");
    assertThat(ids(viewer.getJson(api(leader, "/tasks")).path("tasks"))).doesNotContain(task);
    var again = operator.send("DELETE", api(leader, "/tasks/" + task), null);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(404);
  }

  private JsonNode queued(Http caller, EmbeddedApp<?> leader, String task) throws Exception {
    for (JsonNode q : caller.getJson(api(leader, "/tasks")).path("tasks")) {
      if (q.path("task").path("id").asText().equals(task)) {
        return q;
      }
    }
    throw new AssertionError(task + " is not in the queue");
  }

  @Test
  void aHeartbeatWhoseResultsExceedAZnodeIsRecordedAndItsResultsAcknowledged() throws Exception {
    // Three finished tasks naming 1,000 failed keys each, with long reasons: about 1.3 MB, more
    // than ZooKeeper takes in one znode.
    List<TaskResult> results = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      List<KeyOutcome> failed = new ArrayList<>();
      for (int k = 0; k < KeyTally.NAMED_PER_STATUS; k++) {
        failed.add(
            KeyOutcome.because(
                String.format("studies/%05d.dcm", k),
                KeyStatus.FAILED,
                "refused: " + "x".repeat(400)));
      }
      results.add(
          new TaskResult(
              "unknown-task-" + t,
              TaskType.COPY,
              TaskState.FAILED,
              null,
              Map.of(KeyStatus.FAILED, new KeyTally.Count(failed.size(), 0)),
              failed,
              TaskFailure.permanent("1000 of 1000 keys failed")));
    }
    Heartbeat beat =
        new Heartbeat(
            "agent-x",
            null,
            "test",
            null,
            1,
            Instant.now(),
            new Inventory("node-x", 2, 1L << 30, 0.5, null, null),
            List.of(),
            List.of(),
            results);
    String body = AgentApplication.json().writeValueAsString(beat);
    assertThat(body.length()).isGreaterThan(1 << 20);

    StandInAgent agentX = new StandInAgent(fleet, "agent-x", "pool-2");
    EmbeddedApp<ControllerConfiguration> leader = leader();
    EmbeddedApp<ControllerConfiguration> follower = leader == first ? second : first;
    // A follower records the heartbeat too, and points to the leader for the results (once the
    // leader has published where it listens).
    await("the follower points to the leader")
        .atMost(TestFleet.TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              JsonNode pointed = agentX.post(follower, body);
              assertThat(pointed.path("acknowledged")).as(pointed.toString()).isEmpty();
              assertThat(pointed.path("leaderUrl").asText())
                  .as(pointed.toString())
                  .contains(":" + leader.port());
            });

    // The leader's reconciler takes the results from its first round on; until then the agent
    // keeps them and sends them again, as it does here.
    await("the leader acknowledges the three results")
        .atMost(TestFleet.TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(agentX.post(leader, body).path("acknowledged")).hasSize(3));
    await("agent-x recorded where every replica sees it")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> viewer.fetch(api(second, "/agents/agent-x")).statusCode() == 200);
  }

  @Test
  void badHeartbeatsAreRefusedWithJsonErrors() throws Exception {
    Http agentX = fleet.as("agent-x");
    var mismatch =
        agentX.postJson(api(first, "/agents/agent-x/heartbeat"), "{\"agentId\":\"agent-y\"}");
    assertThat(mismatch.statusCode()).isEqualTo(422);
    assertThat(mismatch.body()).contains("does not match 'agent-x'");
    var garbage = agentX.postJson(api(first, "/agents/agent-x/heartbeat"), "{not json");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("the body is not JSON (line 1, column 2)");
    var wrongType =
        agentX.postJson(
            api(first, "/agents/agent-x/heartbeat"), "{\"agentId\":\"agent-x\",\"results\":7}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("field 'results' has the wrong type, expected a list");
    assertThat(viewer.fetch(api(first, "/agents/agent-x")).statusCode()).isEqualTo(404);
    assertThat(viewer.fetch(api(first, "/datasets/nope")).body()).contains("no dataset 'nope'");
  }
}
