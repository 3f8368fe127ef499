package io.strata.controller.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.strata.protocol.heartbeat.BlockDevice;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.heartbeat.Inventory;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.runtime.ConfiguredInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HeartbeatRelay} against a stand-in leader on loopback that answers as each test says: the
 * relay's batching, what reaches the leader, and every way the leader may fail to answer.
 */
class HeartbeatRelayTest {
  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  private HttpServer leader;
  private HeartbeatRelay relay;
  private final List<RelayedBeats> received = new CopyOnWriteArrayList<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  /** How the stand-in leader answers one batch. */
  private interface Answer {
    void answer(HttpExchange exchange, RelayedBeats batch) throws IOException;
  }

  private String startLeader(Answer answer) throws IOException {
    leader = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    leader.setExecutor(Executors.newFixedThreadPool(4));
    leader.createContext(
        "/api/v1/relay/heartbeats",
        exchange -> {
          RelayedBeats batch = JSON.readValue(exchange.getRequestBody(), RelayedBeats.class);
          received.add(batch);
          tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
          answer.answer(exchange, batch);
        });
    leader.start();
    return "http://127.0.0.1:" + leader.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** Acknowledges every beat's results, answering in order. */
  private static void acknowledgeAll(HttpExchange exchange, RelayedBeats batch) throws IOException {
    List<HeartbeatResponse> answers = new ArrayList<>();
    for (Heartbeat beat : batch.beats()) {
      answers.add(
          new HeartbeatResponse(
              0, 0, null, List.of(), List.of("ack-" + beat.agentId()), List.of()));
    }
    send(exchange, 200, JSON.writeValueAsBytes(new RelayAnswers(answers)));
  }

  private HeartbeatRelay relay(String url, Duration maxWait, Duration timeout) {
    relay =
        new HeartbeatRelay(
            () -> url,
            JSON,
            new HeartbeatRelay.Settings("replica-token", 500, maxWait, 1, timeout),
            Clock.systemUTC());
    relay.start();
    return relay;
  }

  private static Heartbeat beat(String agent) {
    Inventory inventory =
        new Inventory(
            agent,
            8,
            1L << 34,
            0.5,
            List.of(new BlockDevice("sda", 1L << 40, true, "disk", true)),
            List.of());
    return new Heartbeat(
        agent,
        "node-" + agent,
        "1.0",
        "http://" + agent + ":9100/metrics",
        7,
        Instant.parse("2026-12-06T00:00:00Z"),
        inventory,
        List.of(new PoolReport("pool-" + agent, true, null, 10, 1)),
        List.of(),
        List.of());
  }

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.stop();
    }
    if (leader != null) {
      leader.stop(0);
    }
  }

  @Test
  void heartbeatsOfManyAgentsReachTheLeaderInFewRequestsWithoutTheirInventory() throws Exception {
    int agents = 200;
    // The leader holds its first answer until every agent is about to wait for its own; with one
    // batch in flight, those that came meanwhile go together in the next.
    CountDownLatch calling = new CountDownLatch(agents);
    AtomicInteger requests = new AtomicInteger();
    String url =
        startLeader(
            (exchange, batch) -> {
              if (requests.incrementAndGet() == 1) {
                try {
                  calling.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              acknowledgeAll(exchange, batch);
            });
    HeartbeatRelay relay = relay(url, Duration.ofMillis(1), Duration.ofSeconds(30));
    ExecutorService callers = Executors.newFixedThreadPool(agents);
    try {
      List<Future<HeartbeatResponse>> answers = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        String agent = "agent-" + i;
        answers.add(
            callers.submit(
                () -> {
                  calling.countDown();
                  return relay.relay(beat(agent));
                }));
      }
      for (int i = 0; i < agents; i++) {
        assertThat(answers.get(i).get().acknowledged()).containsExactly("ack-agent-" + i);
      }
    } finally {
      callers.shutdownNow();
    }
    int beats = received.stream().mapToInt(b -> b.beats().size()).sum();
    assertThat(beats).isEqualTo(agents);
    assertThat(received.size()).isLessThan(agents / 4);
    assertThat(relay.relayed()).isEqualTo(agents);
    assertThat(relay.batches()).isEqualTo(received.size());
    assertThat(relay.failed()).isZero();
    assertThat(relay.healthy()).isTrue();
    assertThat(tokens).containsOnly("Bearer replica-token");
    Heartbeat sent = received.get(0).beats().get(0);
    assertThat(sent.inventory()).isNull();
    assertThat(sent.metricsUrl()).isNull();
    assertThat(sent.pools()).hasSize(1);
  }

  @Test
  void aLeaderThatRefusesTheBatchLeavesEveryAgentWithoutTasksAndTheRelayUnhealthy()
      throws Exception {
    String url =
        startLeader(
            (exchange, batch) ->
                send(exchange, 503, "{\"message\":\"this replica does not lead\"}".getBytes()));
    HeartbeatRelay relay = relay(url, Duration.ZERO, Duration.ofSeconds(30));

    assertThat(relay.relay(beat("a"))).isNull();
    assertThat(relay.failed()).isEqualTo(1);
    assertThat(relay.healthy()).isFalse();
    assertThat(relay.lastError()).contains("503").contains("does not lead");
  }

  @Test
  void anAnswerForFewerHeartbeatsThanSentAnswersNone() throws Exception {
    String url =
        startLeader(
            (exchange, batch) ->
                send(exchange, 200, JSON.writeValueAsBytes(new RelayAnswers(List.of()))));
    HeartbeatRelay relay = relay(url, Duration.ZERO, Duration.ofSeconds(30));

    assertThat(relay.relay(beat("a"))).isNull();
    assertThat(relay.lastError()).contains("answered 0 heartbeats of 1");
  }

  @Test
  void aHeartbeatTheLeaderCouldNotRecordIsAnsweredWithoutTasks() throws Exception {
    List<HeartbeatResponse> one = new ArrayList<>();
    one.add(null);
    String url =
        startLeader(
            (exchange, batch) ->
                send(exchange, 200, JSON.writeValueAsBytes(new RelayAnswers(one))));
    HeartbeatRelay relay = relay(url, Duration.ZERO, Duration.ofSeconds(30));

    assertThat(relay.relay(beat("a"))).isNull();
    assertThat(relay.failed()).isEqualTo(1);
    assertThat(relay.relayed()).isZero();
  }

  @Test
  void withNoLeaderKnownNothingIsSent() throws Exception {
    HeartbeatRelay relay = relay(null, Duration.ZERO, Duration.ofSeconds(30));

    assertThat(relay.relay(beat("a"))).isNull();
    assertThat(relay.lastError()).isEqualTo("no leader known");
    assertThat(relay.batches()).isZero();
  }

  @Test
  void aLeaderTooSlowToAnswerTimesTheAgentOutWithoutTasks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    String url =
        startLeader(
            (exchange, batch) -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              acknowledgeAll(exchange, batch);
            });
    HeartbeatRelay relay = relay(url, Duration.ZERO, Duration.ofMillis(200));
    try {
      assertThat(relay.relay(beat("a"))).isNull();
      // The agent's wait and the request to the leader end after the same timeout; whichever
      // ends first names it (on a busy machine the request's own can).
      assertThat(relay.lastError())
          .containsAnyOf("no answer from the leader within", "request timed out");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aTokenFileThatCannotBeReadOrHoldsNoTokenIsNamed(@TempDir Path dir) throws Exception {
    RelayFactory factory = new RelayFactory();
    assertThat(factory.enabled()).isFalse();
    factory.setTokenFile(dir.resolve("missing.token").toString());
    assertThat(factory.enabled()).isTrue();
    assertThatThrownBy(factory::settings)
        .isInstanceOf(ConfiguredInputException.class)
        .hasMessageContaining("relay.tokenFile: cannot read")
        .hasMessageContaining("missing.token");
    Path empty = Files.writeString(dir.resolve("empty.token"), "\n");
    factory.setTokenFile(empty.toString());
    assertThatThrownBy(factory::settings)
        .isInstanceOf(ConfiguredInputException.class)
        .hasMessageContaining("must hold one token on one line");
    Path good = Files.writeString(dir.resolve("replica.token"), "tok-replica\n");
    factory.setTokenFile(good.toString());
    assertThat(factory.settings().token()).isEqualTo("tok-replica");
  }
}
