package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing against two controller replicas that share their failed-login counts through
 * ZooKeeper: user names lock after 5 failures, source addresses after 20, back-off off (so that the
 * test never waits on the clock; back-off is {@code LoginThrottleTest}'s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginThrottleIT {
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> replica1;
  private EmbeddedApp<ControllerConfiguration> replica2;
  private CuratorFramework zookeeper;
  private final HttpClient raw = HttpClient.newHttpClient();

  @BeforeAll
  void startFleet(@TempDir Path dir) throws Exception {
    fleet = new TestFleet(dir, 1);
    fleet.securityExtra =
        """
          loginThrottle:
            user: {backoffAfter: 5, lockAfter: 5}
            address: {backoffAfter: 20, lockAfter: 20}
            backoff: 0s
            lockFor: 15m
        """;
    replica1 = fleet.startController("replica-1");
    replica2 = fleet.startController("replica-2");
    zookeeper =
        CuratorFrameworkFactory.builder()
            .connectString(fleet.zookeeper.getConnectString())
            .namespace("strata")
            .retryPolicy(new RetryOneTime(100))
            .build();
    zookeeper.start();
  }

  @AfterEach
  void forgetFailures() throws Exception {
    // Every test logs in from 127.0.0.1: each starts with the address's count at zero.
    if (zookeeper.checkExists().forPath("/login-failures") != null) {
      zookeeper.delete().deletingChildrenIfNeeded().forPath("/login-failures");
    }
  }

  @AfterAll
  void stopFleet() throws Exception {
    if (zookeeper != null) {
      zookeeper.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void aThousandWrongPasswordsFromOneSourceAreRefusedAfterTheLimitOnEveryReplica()
      throws Exception {
    long auditedBefore =
        TestFleet.auditTrail(replica1).head().seq() + TestFleet.auditTrail(replica2).head().seq();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    List<Long> retryAfter = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      var replica = i % 2 == 0 ? replica1 : replica2;
      statuses.merge(
          Http.login(replica.port(), "operator", "wrong-" + i).statusCode(), 1, Integer::sum);
    }
    // The limit is reached: the other 995, sent eight at a time to both replicas, are all refused.
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 5; i < 1_000; i++) {
        var replica = i % 2 == 0 ? replica1 : replica2;
        String guess = "wrong-" + i;
        sent.add(
            senders.submit(
                () -> {
                  var response = Http.login(replica.port(), "operator", guess);
                  statuses.merge(response.statusCode(), 1, Integer::sum);
                  response
                      .headers()
                      .firstValue("Retry-After")
                      .ifPresent(s -> retryAfter.add(Long.parseLong(s)));
                  return null;
                }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
    assertThat(statuses).isEqualTo(Map.of(401, 5, 429, 995));
    assertThat(retryAfter).hasSize(995).allSatisfy(s -> assertThat(s).isBetween(1L, 900L));

    for (var replica : List.of(replica1, replica2)) {
      var right = Http.login(replica.port(), "operator", fleet.passwords.get(Roles.OPERATOR));
      assertThat(right.statusCode()).as("the right password, while locked").isEqualTo(429);
    }
    var otherUser = Http.login(replica2.port(), "viewer", fleet.passwords.get(Roles.VIEWER));
    assertThat(otherUser.statusCode()).as("another user from the same address").isEqualTo(200);

    // Every attempt, refused or not, is one record of its replica's audit chain.
    long audited =
        TestFleet.auditTrail(replica1).head().seq() + TestFleet.auditTrail(replica2).head().seq();
    assertThat(audited - auditedBefore).isGreaterThanOrEqualTo(1_000 + 2 + 1);
  }

  @Test
  void aNameThatIsNoUsersIsAnsweredExactlyAsAUsersIs() throws Exception {
    List<String> known = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      known.add(answer(Http.login(replica1.port(), "planner", "guess-" + i)));
      unknown.add(answer(Http.login(replica2.port(), "no-such-user", "guess-" + i)));
    }
    assertThat(unknown).isEqualTo(known);
    assertThat(known.get(4)).startsWith("401");
    assertThat(known.get(5)).startsWith("429");
  }

  @Test
  void anAddressIsLockedAfterTwentyFailuresWhateverTheNamesTried() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(Http.login(replica1.port(), "sprayed-" + i, "Summer2025!").statusCode())
          .isEqualTo(401);
    }
    var right = Http.login(replica2.port(), "viewer", fleet.passwords.get(Roles.VIEWER));
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void basicCredentialsAreThrottledAsLoginsAreAndTheRefusalIsAudited() throws Exception {
    String url = "http://127.0.0.1:" + replica1.port() + "/api/v1/cluster-map";
    for (int i = 0; i < 5; i++) {
      assertThat(basic(url, "auditor", "guess-" + i).statusCode()).isEqualTo(401);
    }
    var locked = basic(url, "auditor", fleet.passwords.get(Roles.AUDITOR));
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    assertThat(locked.body()).doesNotContain(fleet.passwords.get(Roles.AUDITOR));
    await("the refused Basic login in the audit trail")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> auditedOutcomes("auditor").getOrDefault(429, 0) >= 1);
  }

  /** Status, message and whether Retry-After came: what a caller can tell apart. */
  private static String answer(HttpResponse<String> response) throws Exception {
    String message = Http.JSON.readTree(response.body()).get("message").asText();
    return response.statusCode()
        + " "
        + message.replaceAll("\\d+ s$", "N s")
        + " "
        + response.headers().firstValue("Retry-After").isPresent();
  }

  private HttpResponse<String> basic(String url, String user, String password) throws Exception {
    String credentials =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    var response =
        raw.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + credentials)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Http.BODIES.add(response.body());
    return response;
  }

  /** The outcomes of the audit trail's login records of {@code principal}, counted. */
  private Map<Integer, Integer> auditedOutcomes(String principal) throws Exception {
    JsonNode records =
        fleet
            .as(Roles.AUDITOR)
            .getJson(
                "http://127.0.0.1:" + replica1.port() + "/api/v1/audit?principal=" + principal);
    Map<Integer, Integer> outcomes = new TreeMap<>();
    records.forEach(
        r -> {
          if (r.get("action").asText().startsWith("login")) {
            outcomes.merge(r.get("outcome").asInt(), 1, Integer::sum);
          }
        });
    return outcomes;
  }
}
