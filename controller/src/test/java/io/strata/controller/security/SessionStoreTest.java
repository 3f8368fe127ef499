package io.strata.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.ZkPaths;
import io.strata.runtime.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Console sessions in an embedded ZooKeeper, as two replicas see them. */
class SessionStoreTest {
  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T08:00:00Z"));
  private final StrataPrincipal alice =
      new StrataPrincipal("alice", Set.of(Roles.VIEWER), StrataPrincipal.Method.SESSION, null);
  private TestZooKeeper zookeeper;
  private CuratorFramework curator;

  /** The users file as the store sees it: each user's roles now. */
  private final Map<String, Set<String>> users = new ConcurrentHashMap<>();

  private SessionStore sessions;
  private SessionStore otherReplica;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    curator = zookeeper.client();
    users.put("alice", Set.of(Roles.VIEWER));
    sessions = store();
    otherReplica = store();
  }

  private SessionStore store() {
    return new SessionStore(
        curator, clock, Duration.ofMinutes(15), 2, user -> Optional.ofNullable(users.get(user)));
  }

  @Test
  void aSessionCarriesItsUsersRolesAsTheyAreAndEndsWhenTheUserIsGone() {
    String id = sessions.open(alice).id();

    users.put("alice", Set.of(Roles.VIEWER, Roles.OPERATOR));
    assertThat(otherReplica.touch(id).orElseThrow().principal().roles())
        .as("a role granted since the login")
        .containsExactlyInAnyOrder(Roles.VIEWER, Roles.OPERATOR);

    users.remove("alice");
    assertThat(sessions.touch(id)).as("the user removed from the users file").isEmpty();
    users.put("alice", Set.of(Roles.VIEWER));
    assertThat(otherReplica.peek(id)).as("ended, not suspended").isEmpty();
  }

  @AfterEach
  void stop() throws Exception {
    zookeeper.close();
  }

  @Test
  void aSessionOpenedOnOneReplicaIsKnownToAnotherAndEndsOnBothWhenClosedOnEither() {
    SessionStore.Session s = sessions.open(alice);

    assertThat(otherReplica.touch(s.id()))
        .hasValueSatisfying(
            seen -> {
              assertThat(seen.principal().name()).isEqualTo("alice");
              assertThat(seen.principal().roles()).containsExactly(Roles.VIEWER);
              assertThat(seen.csrfToken()).isEqualTo(s.csrfToken());
            });

    otherReplica.close(s.id());

    assertThat(sessions.touch(s.id())).isEmpty();
  }

  @Test
  void activityOnAnyReplicaKeepsTheSessionAliveOnAll() {
    String id = sessions.open(alice).id();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(10));
      assertThat(otherReplica.touch(id)).as("after %d min", (i + 1) * 10).isPresent();
    }
    assertThat(sessions.peek(id)).isPresent();
  }

  @Test
  void zooKeeperHoldsNeitherTheCookieNorAnythingThatIsIt() throws Exception {
    SessionStore.Session s = sessions.open(alice);

    List<String> nodes = curator.getChildren().forPath(ZkPaths.SESSIONS);
    String stored =
        new String(
            curator.getData().forPath(ZkPaths.session(nodes.get(0))), StandardCharsets.UTF_8);

    assertThat(nodes).containsExactly(Hashes.sha256(s.id()));
    assertThat(stored).doesNotContain(s.id());
  }

  @Test
  void aSessionEndsAfterFifteenIdleMinutes() {
    String id = sessions.open(alice).id();
    clock.advance(Duration.ofMinutes(14));
    assertThat(sessions.touch(id)).isPresent();
    clock.advance(Duration.ofMinutes(15));
    assertThat(sessions.touch(id)).isEmpty();
  }

  @Test
  void activityKeepsASessionAlivePastTheTimeout() {
    String id = sessions.open(alice).id();
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofMinutes(10));
      assertThat(sessions.touch(id)).as("after %d min", (i + 1) * 10).isPresent();
    }
  }

  @Test
  void theConsolesPeriodicRefreshDoesNotKeepAnUnattendedSessionAlive() {
    String id = sessions.open(alice).id();
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofMinutes(5));
      assertThat(sessions.peek(id)).isPresent();
    }
    clock.advance(Duration.ofMinutes(5));
    assertThat(sessions.peek(id)).isEmpty();
  }

  @Test
  void aClosedSessionIsGoneAndIdsAndCsrfTokensAreUnguessable() {
    SessionStore.Session s = sessions.open(alice);
    assertThat(s.id()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(s.csrfToken());
    sessions.close(s.id());
    assertThat(sessions.touch(s.id())).isEmpty();
    assertThat(sessions.touch(null)).isEmpty();
  }

  @Test
  void openingMoreThanTheLimitIsRefusedUntilOneExpires() {
    sessions.open(alice);
    sessions.open(alice);
    assertThatThrownBy(() -> sessions.open(alice)).hasMessageContaining("too many open sessions");
    clock.advance(Duration.ofMinutes(16));
    assertThat(sessions.open(alice).principal().name()).isEqualTo("alice");
  }
}
