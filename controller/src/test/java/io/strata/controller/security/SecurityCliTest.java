package io.strata.controller.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityCliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

  private int run(String stdin, String... args) {
    return SecurityCli.run(
        args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), print, print);
  }

  @Test
  void theEntriesItPrintsAreAcceptedByTheControllerAndHoldNoSecret() throws Exception {
    assertThat(run("A long enough passw0rd\n", "hash-password", "alice", "operator,viewer"))
        .isZero();
    String users = "users:\n" + out.toString(StandardCharsets.UTF_8);
    out.reset();
    assertThat(run("", "new-token", "node-1", "agent", "node-1")).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    String token = lines[0].substring("token (shown once): ".length()).trim();
    String tokens = "tokens:\n" + lines[1].substring("tokens.yml entry: ".length());
    Files.writeString(dir.resolve("users.yml"), users);
    Files.writeString(dir.resolve("tokens.yml"), tokens);

    assertThat(users).doesNotContain("A long enough passw0rd");
    assertThat(tokens).doesNotContain(token);
    Identities ids = Identities.load(dir.resolve("users.yml"), dir.resolve("tokens.yml"));
    assertThat(ids.password("alice", "A long enough passw0rd", StrataPrincipal.Method.BASIC))
        .isPresent();
    assertThat(ids.token(token).orElseThrow().agentId()).isEqualTo("node-1");
  }

  @Test
  void passwordsBreakingARuleAreRefusedNamingEveryRuleBroken() {
    assertThat(run("all lower case letters\n", "hash-password", "bob", "viewer")).isEqualTo(2);
    assertThat(run("Bobby-Tables-2025\n", "hash-password", "bobby", "viewer")).isEqualTo(2);
    assertThat(run("x".repeat(70) + "\u00e9\u00e9X1\n", "hash-password", "bob", "viewer"))
        .isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("at least 3 of: lower case, upper case, digits, others")
        .contains("must not contain the user's name")
        .contains("at most 71 bytes")
        .doesNotContain("passwordHash");
  }

  @Test
  void shortPasswordsUnknownRolesAndAgentTokensWithoutIdAreRefused() {
    assertThat(run("short\n", "hash-password", "bob", "viewer")).isEqualTo(2);
    assertThat(run("", "new-token", "x", "root")).isEqualTo(2);
    assertThat(run("", "new-token", "x", "agent")).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("at least 12 characters")
        .contains("unknown role 'root'")
        .contains("needs an AGENT_ID");
  }
}
