package io.strata.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T08:00:00Z"));
  private final SessionStore sessions = new SessionStore(clock, Duration.ofMinutes(15), 2);
  private final StrataPrincipal alice =
      new StrataPrincipal("alice", Set.of(Roles.VIEWER), StrataPrincipal.Method.SESSION, null);

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
