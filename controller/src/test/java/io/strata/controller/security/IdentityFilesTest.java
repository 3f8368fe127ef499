package io.strata.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.strata.controller.files.FileChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users and tokens files read again when they change, without a restart. */
class IdentityFilesTest {
  @TempDir Path dir;
  private Path users;
  private Path tokens;

  @BeforeEach
  void write() throws Exception {
    users = dir.resolve("users.yml");
    tokens = dir.resolve("tokens.yml");
    Files.writeString(users, "users: []\n");
    Files.writeString(tokens, "tokens:\n" + entry("prometheus", "tok-1", "metrics"));
  }

  private static String entry(String name, String token, String role) {
    return "  - {name: %s, sha256: %s, roles: [%s]}\n".formatted(name, Hashes.sha256(token), role);
  }

  @Test
  void aTokenAddedOrRevokedCountsOnceTheFileHasStayedTheSameForALook() throws Exception {
    IdentityFiles files = IdentityFiles.load(users, tokens);
    assertThat(files.get().token("tok-1")).isPresent();

    Files.writeString(tokens, "tokens:\n" + entry("ops", "tok-2", "operator"));
    assertThat(files.get().token("tok-1")).as("not looked at again yet").isPresent();
    files.check();
    assertThat(files.get().token("tok-1")).as("seen changed once: maybe half written").isPresent();
    files.check();

    assertThat(files.get().token("tok-2").orElseThrow().roles()).containsExactly("operator");
    assertThat(files.get().token("tok-1")).as("revoked").isEmpty();
  }

  @Test
  void aFileCaughtHalfWrittenIsNotTaken() throws Exception {
    IdentityFiles files = IdentityFiles.load(users, tokens);

    // An editor that truncates the file, then writes it: one look falls in between.
    Files.writeString(tokens, "");
    files.check();
    assertThat(files.get().token("tok-1")).isPresent();
    Files.writeString(tokens, "tokens:\n" + entry("prometheus", "tok-1", "metrics"));
    files.check();
    assertThat(files.get().token("tok-1")).isPresent();
    files.check();

    assertThat(files.get().token("tok-1")).as("never without the token").isPresent();
  }

  @Test
  void aChangeThatCannotBeUsedLeavesTheTokensInForceUntilItIsFixed() throws Exception {
    IdentityFiles files = IdentityFiles.load(users, tokens);
    Identities before = files.get();

    Files.writeString(tokens, "tokens:\n  - {name: broken, sha256: abc, roles: [operator]}\n");
    files.check();
    files.check();

    assertThat(files.get()).as("the bad edit is not taken").isSameAs(before);
    assertThat(files.get().token("tok-1")).isPresent();

    Files.writeString(tokens, "tokens:\n" + entry("ops", "tok-2", "operator"));
    files.check();
    files.check();
    assertThat(files.get().token("tok-2")).as("fixed").isPresent();
  }

  @Test
  void aFileThatIsGoneLeavesItsEntriesInForceUntilItIsBack() throws Exception {
    List<FileChange> changes = new ArrayList<>();
    IdentityFiles files = IdentityFiles.load(users, tokens, changes::add);
    String written = Files.readString(tokens);

    Files.delete(tokens);
    files.check();
    files.check();
    assertThat(files.get().token("tok-1")).as("not revoked by a missing file").isPresent();

    Files.writeString(tokens, written + entry("ops", "tok-2", "operator"));
    files.check();
    files.check();
    assertThat(files.get().token("tok-2")).as("back, with an entry more").isPresent();
    assertThat(changes)
        .as("for the audit trail: refused while gone, then taken")
        .extracting(FileChange::what, FileChange::taken)
        .containsExactly(tuple("identities", false), tuple("identities", true));
    assertThat(changes.get(1).sha256())
        .isEqualTo(Hashes.sha256(files.get().usersDigest() + "\n" + files.get().tokensDigest()));

    Files.writeString(tokens, "tokens: []\n");
    files.check();
    files.check();
    assertThat(files.get().tokenCount()).as("a file with no entry revokes them all").isZero();
  }

  @Test
  void unchangedFilesAreNotReadAgain() {
    IdentityFiles files = IdentityFiles.load(users, tokens);
    Identities first = files.get();

    for (int look = 0; look < 5; look++) {
      files.check();
    }

    assertThat(files.get()).isSameAs(first);
  }

  @Test
  void filesThatCannotBeUsedAtStartAreRefused() throws Exception {
    Files.writeString(users, "users:\n  - {name: alice, passwordHash: plain, roles: [viewer]}\n");

    assertThatThrownBy(() -> IdentityFiles.load(users, tokens))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("passwordHash must be a bcrypt hash");
  }
}
