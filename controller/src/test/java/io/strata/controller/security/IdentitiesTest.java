package io.strata.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.ConfiguredInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentitiesTest {
  @TempDir Path dir;

  private Identities load(String users, String tokens) throws Exception {
    Files.writeString(dir.resolve("users.yml"), users);
    Files.writeString(dir.resolve("tokens.yml"), tokens);
    return Identities.load(dir.resolve("users.yml"), dir.resolve("tokens.yml"));
  }

  @Test
  void passwordsAndTokensAreCheckedAgainstTheirHashes() throws Exception {
    String hash = Hashes.bcrypt("correct horse");
    Identities ids =
        load(
            "users:\n  - {name: alice, passwordHash: \""
                + hash
                + "\", roles: [operator, viewer]}\n",
            "tokens:\n  - {name: node-1, sha256: "
                + Hashes.sha256("tok-1")
                + ", roles: [agent], agentId: node-1}\n");

    var alice = ids.password("alice", "correct horse", StrataPrincipal.Method.BASIC);
    assertThat(alice).isPresent();
    assertThat(alice.get().roles()).containsExactlyInAnyOrder("operator", "viewer");
    assertThat(ids.password("alice", "wrong", StrataPrincipal.Method.BASIC)).isEmpty();
    assertThat(ids.password("nobody", "correct horse", StrataPrincipal.Method.BASIC)).isEmpty();
    assertThat(ids.token("tok-1").orElseThrow().agentId()).isEqualTo("node-1");
    assertThat(ids.token("tok-2")).isEmpty();
  }

  @Test
  void aTokensFileLargerThanSnakeYamlsDefaultLimitLoads() throws Exception {
    StringBuilder tokens = new StringBuilder("tokens:\n");
    // 30,000 agents' tokens; the design's 50,000 take 7 MB.
    for (int i = 0; i < 30_000; i++) {
      tokens.append(
          "  - {name: agent-cz-a-r%05d-n%d, sha256: %s, roles: [agent], agentId: cz-a-r%05d-n%d}\n"
              .formatted(i / 5, i % 5, Hashes.sha256("tok-" + i), i / 5, i % 5));
    }
    assertThat(tokens.length()).as("over SnakeYAML's default limit").isGreaterThan(3 << 20);

    Identities ids = load("users: []\n", tokens.toString());

    assertThat(ids.token("tok-29999").orElseThrow().agentId()).isEqualTo("cz-a-r05999-n4");
  }

  @Test
  void everyBadEntryIsNamedAtOnce() {
    assertThatThrownBy(
            () ->
                load(
                    "users:\n  - {name: bob, passwordHash: plain-text-password, roles: [root]}\n",
                    "tokens:\n  - {name: t, sha256: abc, roles: [agent]}\n"))
        // Printed alone, without a stack trace, when it stops a controller's start.
        .isInstanceOf(ConfiguredInputException.class)
        .hasMessageContaining("users[0]: passwordHash must be a bcrypt hash")
        .hasMessageContaining("unknown role 'root'")
        .hasMessageContaining("tokens[0]: sha256 must be 64 lower-case hex digits")
        .hasMessageContaining("agentId exactly when it has the role agent")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-text-password"));
  }

  @Test
  void missingFilesMeanNobody() {
    Identities ids = Identities.load(dir.resolve("none.yml"), dir.resolve("none2.yml"));
    assertThat(ids.userCount()).isZero();
    assertThat(ids.tokenCount()).isZero();
  }

  @Test
  void digestsFollowWhatIsGrantedNotHowTheFilesAreWritten() throws Exception {
    String hash = Hashes.bcrypt("pw");
    String alice = "  - {name: alice, passwordHash: \"" + hash + "\", roles: [operator, viewer]}\n";
    String bob = "  - {name: bob, passwordHash: \"" + hash + "\", roles: [viewer]}\n";
    String t1 = "  - {name: t1, sha256: " + Hashes.sha256("a") + ", roles: [metrics]}\n";
    String t2 = "  - {name: t2, sha256: " + Hashes.sha256("b") + ", roles: [viewer]}\n";
    Identities one = load("users:\n" + alice + bob, "tokens:\n" + t1 + t2);
    Identities reordered =
        load(
            "# the same, another way\nusers:\n"
                + bob
                + alice.replace("operator, viewer", "viewer, operator"),
            "tokens:\n\n" + t2 + t1);
    assertThat(reordered.usersDigest()).isEqualTo(one.usersDigest());
    assertThat(reordered.tokensDigest()).isEqualTo(one.tokensDigest());

    Identities moreRights =
        load(
            "users:\n" + alice + bob.replace("[viewer]", "[viewer, admin]"), "tokens:\n" + t1 + t2);
    assertThat(moreRights.usersDigest()).isNotEqualTo(one.usersDigest());
    assertThat(moreRights.tokensDigest()).isEqualTo(one.tokensDigest());

    Identities revoked = load("users:\n" + alice + bob, "tokens:\n" + t1);
    assertThat(revoked.tokensDigest()).isNotEqualTo(one.tokensDigest());
    assertThat(revoked.usersDigest()).isEqualTo(one.usersDigest());
  }
}
