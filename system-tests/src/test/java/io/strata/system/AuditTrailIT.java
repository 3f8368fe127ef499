package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.audit.AuditChain;
import io.strata.controller.audit.AuditCli;
import io.strata.controller.audit.AuditRecord;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.demo.EmbeddedS3Pool;
import io.strata.runtime.s3.TestS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail of a running controller: logins recorded on the pools and queryable by auditors,
 * records spooled while no pool is reachable, tampering named by {@code strata audit verify}.
 */
class AuditTrailIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> controller;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

  @BeforeEach
  void startFleet() throws Exception {
    fleet = new TestFleet(dir, 1);
    // No dataset lands in the one pool, which the tests drain: a landing pool cannot be drained.
    fleet.landingPool = "";
    controller = fleet.startController("replica-1");
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  private String[] verifyPool0() {
    return new String[] {
      "verify",
      "--endpoint",
      fleet.pools.get(0).endpoint().toString(),
      "--credentials",
      dir.resolve("pool.credentials").toString()
    };
  }

  @Test
  void loginsAreAuditedOnThePoolsQueryableByAuditorsAndTamperingIsNamed() throws Exception {
    Http.login(controller.port(), "planner", "guess-1");
    Http.login(controller.port(), "planner", fleet.passwords.get(Roles.PLANNER));
    AuditTrail trail = TestFleet.auditTrail(controller);
    await("audit records flushed to the pools")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> trail.spooled().isEmpty() && trail.head().seq() >= 2);

    String api = "http://127.0.0.1:" + controller.port() + "/api/v1/audit?principal=planner";
    JsonNode records = fleet.as(Roles.AUDITOR).getJson(api);
    List<String> logins = new ArrayList<>();
    records.forEach(r -> logins.add(r.get("action").asText() + " " + r.get("outcome").asInt()));
    assertThat(logins).containsSubsequence("login 401", "login 200");
    JsonNode last = records.get(records.size() - 1);
    assertThat(last.get("replica").asText()).isEqualTo("replica-1");
    assertThat(last.get("role").asText()).isEqualTo("planner");
    assertThat(last.get("source").asText()).isEqualTo("127.0.0.1");
    assertThat(last.get("parametersSha256").asText()).hasSize(64);
    assertThat(fleet.as(Roles.VIEWER).fetch(api).statusCode()).isEqualTo(403);

    String endpoint = fleet.pools.get(0).endpoint().toString();
    String[] verify = verifyPool0();
    assertThat(AuditCli.run(verify, print, print)).as(out.toString()).isZero();

    AuditRecord first = Http.JSON.convertValue(records.get(0), AuditRecord.class);
    String key = AuditChain.key(first);
    byte[] forged =
        Http.JSON
            .writeValueAsString(records.get(0))
            .replace("\"outcome\":" + first.outcome(), "\"outcome\":299")
            .getBytes(StandardCharsets.UTF_8);
    MinioClient pool = TestS3.client(endpoint, TestFleet.KEYS);
    pool.putObject(
        PutObjectArgs.builder().bucket("strata-system").object(key).stream(
                new ByteArrayInputStream(forged), forged.length, -1)
            .build());
    out.reset();
    assertThat(AuditCli.run(verify, print, print)).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("record " + first.seq())
        .contains(key);
  }

  @Test
  void recordsWaitInTheSpoolWhileNoPoolIsReachableAndLeaveItInOrder() throws Exception {
    AuditTrail trail = TestFleet.auditTrail(controller);
    Http.login(controller.port(), "admin", "wrong-1");
    await("first record on the pool")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> trail.spooled().isEmpty());
    URI endpoint = fleet.pools.get(0).endpoint();
    fleet.pools.get(0).close();

    // A stopping S3Proxy may still finish a request or two: wait until its port refuses.
    await("pool-0 refuses connections")
        .atMost(TestFleet.TIMEOUT)
        .until(
            () -> {
              try (Socket probe = new Socket("127.0.0.1", endpoint.getPort())) {
                return false;
              } catch (IOException refused) {
                return true;
              }
            });
    int waiting = trail.spooled().size();
    for (int i = 0; i < 3; i++) {
      Http.login(controller.port(), "admin", "wrong-" + i);
    }
    assertThat(trail.spooled()).hasSize(waiting + 3);
    await("the flusher reports the unreachable pool")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> trail.flushError().isPresent());

    EmbeddedS3Pool again =
        EmbeddedS3Pool.start(dir.resolve("pool-0"), endpoint.getPort(), TestFleet.KEYS);
    fleet.closeables.add(again);
    await("spooled records flushed once the pool is back")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> trail.spooled().isEmpty());

    Map<String, AuditRecord> onPool = trail.store().listAll();
    List<Long> seqs = new ArrayList<>();
    onPool.values().forEach(r -> seqs.add(r.seq()));
    assertThat(seqs).hasSize((int) trail.head().seq()).isSorted().startsWith(1L);
    assertThat(AuditCli.run(verifyPool0(), print, print)).as(out.toString()).isZero();
  }

  @Test
  void aSpoolThatCannotBeWrittenRefusesADrainWith503AndChangesNothingWhileReadsGoOn()
      throws Exception {
    String api = "http://127.0.0.1:" + controller.port() + "/api/v1";
    String metrics = "http://127.0.0.1:" + controller.port() + "/metrics";
    Http operator = fleet.as(Roles.OPERATOR);
    String mapBefore = fleet.as(Roles.VIEWER).fetch(api + "/cluster-map").body();
    assertThat(spoolWritable(metrics)).isEqualTo(1);

    // The spool's directories replaced by files: every write fails, as on a full disk.
    Path spool = dir.resolve("audit-spool-replica-1");
    for (String sub : List.of("pending", "reserved")) {
      Files.move(spool.resolve(sub), spool.resolve(sub + ".aside"));
      Files.writeString(spool.resolve(sub), "");
    }
    var refused = operator.postJson(api + "/cluster-map/pools/pool-0/drain", "");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("audit trail cannot record this change");
    var read = fleet.as(Roles.VIEWER).fetch(api + "/cluster-map");
    assertThat(read.statusCode()).as("reads go on").isEqualTo(200);
    assertThat(read.body()).as("the map unchanged").isEqualTo(mapBefore);
    assertThat(spoolWritable(metrics)).isZero();

    for (String sub : List.of("pending", "reserved")) {
      Files.delete(spool.resolve(sub));
      Files.move(spool.resolve(sub + ".aside"), spool.resolve(sub));
    }
    await("the spool found writable again")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> spoolWritable(metrics) == 1);
    var drained = operator.postJson(api + "/cluster-map/pools/pool-0/drain", "");
    assertThat(drained.statusCode()).isEqualTo(200);
    await("the drain in the audit trail")
        .atMost(TestFleet.TIMEOUT)
        .until(
            () -> {
              List<String> drains = new ArrayList<>();
              fleet
                  .as(Roles.AUDITOR)
                  .getJson(api + "/audit?principal=operator-token")
                  .forEach(
                      r -> drains.add(r.get("outcome").asInt() + " " + r.get("action").asText()));
              return drains.contains("200 POST /v1/cluster-map/pools/{id}/drain");
            });
  }

  private int spoolWritable(String metrics) throws Exception {
    return fleet
        .as(Roles.METRICS)
        .fetch(metrics)
        .body()
        .lines()
        .filter(l -> l.startsWith("strata_audit_spool_writable "))
        .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }
}
