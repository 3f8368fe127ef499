package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
}
