package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ControllerClientTest {
  private static String summary(String body) {
    return ControllerClient.summary(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anErrorAnswerIsSummedUpInOneLine() {
    assertThat(summary("{\"code\":409,\"message\":\"not the leader; ask replica-2\"}"))
        .isEqualTo("not the leader; ask replica-2");
    String page =
        """
        <html>
        <head><title>Error 503 Service Unavailable</title></head>
        <body><h2>HTTP ERROR 503 Service Unavailable</h2>
        <table><tr><th>URI:</th><td>/api/v1/agents/a1/heartbeat</td></tr></table>
        </body>
        </html>
        """;
    assertThat(summary(page))
        .isEqualTo(
            "Error 503 Service Unavailable HTTP ERROR 503 Service Unavailable URI:"
                + " /api/v1/agents/a1/heartbeat");
    assertThat(summary("x".repeat(500))).hasSize(203).endsWith("...");
  }

  /**
   * A controller on loopback answering every wait for work with {@code status} and {@code body}.
   */
  private static HttpServer answering(int status, String body, List<String> asked)
      throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/agents/",
        exchange -> {
          asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static boolean awaitWork(HttpServer server) throws Exception {
    ControllerClient client =
        new ControllerClient(
            "http://127.0.0.1:" + server.getAddress().getPort(), Jackson.newObjectMapper());
    return client
        .awaitWork("node 1", Set.of("pool-a"), Duration.ofSeconds(9))
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void aWaitForWorkAsksForTheAgentsPoolsAndTellsWhetherWorkCame() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    HttpServer server = answering(200, "{\"work\": true}", asked);
    try {
      assertThat(awaitWork(server)).isTrue();
      assertThat(asked).containsExactly("GET /api/v1/agents/node+1/work?waitMs=9000&pool=pool-a");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aControllerThatKnowsNoWaitForWorkIsToldFromOneThatFailed() throws Exception {
    HttpServer older =
        answering(
            404, "{\"code\":404,\"message\":\"HTTP 404 Not Found\"}", new CopyOnWriteArrayList<>());
    HttpServer failing =
        answering(503, "{\"code\":503,\"message\":\"stopping\"}", new CopyOnWriteArrayList<>());
    try {
      assertThatThrownByCause(() -> awaitWork(older), UnsupportedOperationException.class);
      assertThatThrownByCause(() -> awaitWork(failing), java.io.IOException.class);
    } finally {
      older.stop(0);
      failing.stop(0);
    }
  }

  private static void assertThatThrownByCause(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Class<?> cause) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call)
        .satisfies(
            e -> {
              Throwable t = e;
              while (t != null && !cause.isInstance(t)) {
                t = t.getCause();
              }
              assertThat(t).as("a cause of %s", e).isInstanceOf(cause);
            });
  }
}
