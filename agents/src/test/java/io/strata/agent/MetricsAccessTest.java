package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.MetricsAccess.Decision;
import io.strata.runtime.ConfiguredInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAccessTest {
  @TempDir Path dir;

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private Path tokens(String... entries) throws Exception {
    Path file = dir.resolve("tokens.yml");
    Files.writeString(file, "tokens:\n" + String.join("\n", entries) + "\n");
    return file;
  }

  @Test
  void onlyATokenOfTheMetricsRoleIsAdmittedFromAnywhere() throws Exception {
    Path file =
        tokens(
            "  - {name: prometheus, sha256: %s, roles: [metrics]}".formatted(sha256("scrape")),
            "  - {name: viewer, sha256: %s, roles: [viewer]}".formatted(sha256("look")),
            "  - {name: node-1, sha256: %s, roles: [agent], agentId: node-1}"
                .formatted(sha256("beat")));
    MetricsAccess access = new MetricsAccess(file, false);

    assertThat(access.decide("10.1.0.5", "Bearer scrape")).isEqualTo(Decision.ADMIT);
    assertThat(access.decide("10.1.0.5", null)).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.decide("127.0.0.1", null))
        .as("loopback without the exemption")
        .isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.decide("10.1.0.5", "Bearer guess")).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.decide("10.1.0.5", "Basic c2NyYXBl")).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(access.decide("10.1.0.5", "Bearer look")).isEqualTo(Decision.FORBIDDEN);
    assertThat(access.decide("10.1.0.5", "Bearer beat")).isEqualTo(Decision.FORBIDDEN);
  }

  @Test
  void theLoopbackExemptionAdmitsLoopbackOnly() {
    MetricsAccess access = new MetricsAccess(null, true);
    assertThat(access.decide("127.0.0.1", null)).isEqualTo(Decision.ADMIT);
    assertThat(access.decide("0:0:0:0:0:0:0:1", null)).isEqualTo(Decision.ADMIT);
    assertThat(access.decide("10.1.0.5", null)).isEqualTo(Decision.UNAUTHORIZED);
    assertThat(new MetricsAccess(null, false).decide("127.0.0.1", null))
        .as("no file, no exemption: nobody")
        .isEqualTo(Decision.UNAUTHORIZED);
  }

  @Test
  void aChangedFileIsReadAgainAndAnUnusableChangeKeepsTheTokensReadBefore() throws Exception {
    Path file = tokens("  - {name: p, sha256: %s, roles: [metrics]}".formatted(sha256("old")));
    MetricsAccess access = new MetricsAccess(file, false);
    assertThat(access.decide("10.1.0.5", "Bearer old")).isEqualTo(Decision.ADMIT);

    tokens("  - {name: p, sha256: %s, roles: [metrics]}".formatted(sha256("new")));
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    assertThat(access.decide("10.1.0.5", "Bearer new")).isEqualTo(Decision.ADMIT);
    assertThat(access.decide("10.1.0.5", "Bearer old"))
        .as("revoked")
        .isEqualTo(Decision.UNAUTHORIZED);

    tokens("  - {name: p, sha256: NOT-A-HASH, roles: [metrics]}");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));
    assertThat(access.decide("10.1.0.5", "Bearer new")).isEqualTo(Decision.ADMIT);
  }

  @Test
  void aFileThatCannotBeUsedAtStartIsNamedWithItsEntry() throws Exception {
    Path file = tokens("  - {name: p, sha256: abc, roles: [metrics]}");
    assertThatThrownBy(() -> new MetricsAccess(file, false))
        .isInstanceOf(ConfiguredInputException.class)
        .hasMessage(
            "metrics.tokensFile: " + file + ": tokens[0]: sha256 must be 64 lower-case hex digits");
  }
}
