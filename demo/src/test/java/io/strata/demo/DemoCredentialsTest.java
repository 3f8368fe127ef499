package io.strata.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.controller.security.Hashes;
import io.strata.controller.security.Identities;
import io.strata.controller.security.StrataPrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCredentialsTest {
  @TempDir Path dir;

  @Test
  void theFirstRunMakesAPasswordAndTokensAndStoresOnlyTheirHashes() throws Exception {
    DemoCredentials first = DemoCredentials.ensure(dir, List.of("node-1", "node-2"));

    String password = first.newAdminPassword();
    assertThat(password).hasSize(20);
    assertThat(Files.readString(first.adminPasswordFile()).trim()).isEqualTo(password);
    String users = Files.readString(first.usersFile());
    String tokens = Files.readString(first.tokensFile());
    assertThat(users).doesNotContain(password).contains("$2a$12$");
    String token = Files.readString(first.agentToken("node-1")).trim();
    assertThat(tokens).doesNotContain(token).contains(Hashes.sha256(token));
    Identities ids = Identities.load(first.usersFile(), first.tokensFile());
    assertThat(ids.password("admin", password, StrataPrincipal.Method.SESSION)).isPresent();
    assertThat(ids.token(token).orElseThrow().agentId()).isEqualTo("node-1");
    for (Path secret : List.of(first.adminPasswordFile(), first.agentToken("node-2"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aLaterRunShowsNoPasswordKeepsTheTokensAndAddsNewAgents() throws Exception {
    DemoCredentials.ensure(dir, List.of("node-1"));
    String token = Files.readString(dir.resolve("agents/node-1.token"));

    DemoCredentials again = DemoCredentials.ensure(dir, List.of("node-1", "node-3"));

    assertThat(again.newAdminPassword()).isNull();
    assertThat(Files.readString(again.agentToken("node-1"))).isEqualTo(token);
    Identities ids = Identities.load(again.usersFile(), again.tokensFile());
    assertThat(ids.tokenCount()).isEqualTo(2);
  }

  @Test
  void aLaterRunKeepsTheTokensAnOperatorAddedAndAppendsNewAgents() throws Exception {
    DemoCredentials first = DemoCredentials.ensure(dir, List.of("node-1"));
    String operatorToken = Hashes.randomToken();
    Files.writeString(
        first.tokensFile(),
        "  - {name: ops, sha256: %s, roles: [operator]}\n".formatted(Hashes.sha256(operatorToken)),
        java.nio.file.StandardOpenOption.APPEND);

    DemoCredentials.ensure(dir, List.of("node-1"));
    DemoCredentials again = DemoCredentials.ensure(dir, List.of("node-1", "node-2"));

    Identities ids = Identities.load(again.usersFile(), again.tokensFile());
    assertThat(ids.tokenCount()).as("node-1, ops and node-2, each once").isEqualTo(3);
    assertThat(ids.token(operatorToken).orElseThrow().name()).isEqualTo("ops");
    String node2 = Files.readString(again.agentToken("node-2")).trim();
    assertThat(ids.token(node2).orElseThrow().agentId()).isEqualTo("node-2");
  }

  @Test
  void aTokensFileNewAgentsCannotBeAppendedToIsLeftAsItWas() throws Exception {
    DemoCredentials first = DemoCredentials.ensure(dir, List.of("node-1"));
    String node1 = Files.readString(first.agentToken("node-1")).trim();
    String flow =
        "tokens: [{name: agent-node-1, sha256: %s, roles: [agent], agentId: node-1}]\n"
            .formatted(Hashes.sha256(node1));
    Files.writeString(first.tokensFile(), flow);

    assertThatThrownBy(() -> DemoCredentials.ensure(dir, List.of("node-1", "node-2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokens.yml")
        .hasMessageContaining("agent-node-2");
    assertThat(Files.readString(first.tokensFile())).isEqualTo(flow);
  }
}
