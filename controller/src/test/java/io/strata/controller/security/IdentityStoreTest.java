package io.strata.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.TestZooKeeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The user API's entries in ZooKeeper over the files, as two replicas see them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityStoreTest {
  private static final String HASH = Hashes.bcrypt("Seed-password-1");
  private TestZooKeeper zookeeper;
  private IdentityStore replica1;
  private IdentityStore replica2;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("users.yml"),
        "users:\n  - {name: alice, passwordHash: \"%s\", roles: [viewer]}\n".formatted(HASH));
    Files.writeString(
        dir.resolve("tokens.yml"),
        "tokens:\n  - {name: scraper, sha256: %s, roles: [metrics]}\n"
            .formatted(Hashes.sha256("scrape")));
    IdentityFiles files = IdentityFiles.load(dir.resolve("users.yml"), dir.resolve("tokens.yml"));
    zookeeper = new TestZooKeeper();
    replica1 = new IdentityStore(zookeeper.client(), files);
    replica2 = new IdentityStore(zookeeper.client(), files);
    replica1.start();
    replica2.start();
  }

  @AfterAll
  void stop() throws Exception {
    replica1.stop();
    replica2.stop();
    zookeeper.close();
  }

  private static Duration within() {
    return Duration.ofSeconds(10);
  }

  @Test
  void aUserAddedOnOneReplicaLogsInOnTheOtherAndIsGoneOnBothOnceDeleted() {
    String hash = Hashes.bcrypt("Added-password-2");
    replica1.putUser(
        "bob", new IdentityStore.StoredUser(hash, List.of(Roles.OPERATOR), false, false));
    assertThat(replica1.get().roles("bob")).as("at once where it was made").isPresent();
    await("bob on replica-2").atMost(within()).until(() -> replica2.get().hasUser("bob"));
    assertThat(replica2.get().password("bob", "Added-password-2", StrataPrincipal.Method.SESSION))
        .isPresent();
    assertThat(replica2.listUsers())
        .contains(new IdentityStore.Entry("bob", List.of(Roles.OPERATOR), null, false, "api"));

    replica1.deleteUser("bob");
    await("bob gone on replica-2").atMost(within()).until(() -> !replica2.get().hasUser("bob"));
  }

  @Test
  void aFileUserIsDisabledOrRemovedByTheApiAndBackOnceTheEntryIsDeleted() {
    replica1.putUser("alice", new IdentityStore.StoredUser(null, null, true, false));
    await("alice disabled on replica-2")
        .atMost(within())
        .until(() -> replica2.get().roles("alice").isEmpty());
    assertThat(replica2.listUsers())
        .contains(new IdentityStore.Entry("alice", List.of(Roles.VIEWER), null, true, "file+api"));

    replica1.putUser(
        "alice", new IdentityStore.StoredUser(null, List.of(Roles.ADMIN), false, false));
    await("alice an admin")
        .atMost(within())
        .until(() -> replica2.get().roles("alice").equals(Optional.of(Set.of(Roles.ADMIN))));
    assertThat(replica2.get().password("alice", "Seed-password-1", StrataPrincipal.Method.BASIC))
        .as("with the file's password")
        .isPresent();

    replica1.putUser("alice", new IdentityStore.StoredUser(null, null, false, true));
    await("alice removed").atMost(within()).until(() -> !replica2.get().hasUser("alice"));
    assertThat(replica2.listUsers()).extracting(IdentityStore.Entry::name).doesNotContain("alice");

    replica1.deleteUser("alice");
    await("alice back as the file has her")
        .atMost(within())
        .until(() -> replica2.get().hasUser("alice"));
    assertThat(replica2.get().roles("alice")).contains(Set.of(Roles.VIEWER));
  }

  @Test
  void tokensOfTheApiAdmitOnEveryReplicaAndAFileTokenCanBeRevoked() {
    replica1.putToken(
        "ci",
        new IdentityStore.StoredToken(
            Hashes.sha256("ci-token"), List.of(Roles.VIEWER), null, false, false));
    await("the token on replica-2")
        .atMost(within())
        .until(() -> replica2.get().token("ci-token").isPresent());

    replica1.putToken("scraper", new IdentityStore.StoredToken(null, null, null, false, true));
    await("the file's token revoked")
        .atMost(within())
        .until(() -> replica2.get().token("scrape").isEmpty());
    replica1.deleteToken("scraper");
    replica1.deleteToken("ci");
    await("both back as the files have them")
        .atMost(within())
        .until(
            () ->
                replica2.get().token("scrape").isPresent()
                    && replica2.get().token("ci-token").isEmpty());
  }
}
