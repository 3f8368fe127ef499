package io.strata.controller.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions of this replica: a random id (the cookie) bound to a principal and a CSRF token,
 * ended after {@code idleTimeout} without a request. Sessions live in memory only, so a restart or
 * another replica logs the user off (a load balancer in front of several replicas must keep a
 * browser on one replica). Thread-safe.
 */
public final class SessionStore {
  /** One logged-in browser. */
  public record Session(String id, StrataPrincipal principal, String csrfToken, Instant lastSeen) {}

  private final Clock clock;
  private final Duration idleTimeout;
  private final int maxSessions;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  public SessionStore(Clock clock, Duration idleTimeout, int maxSessions) {
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.maxSessions = maxSessions;
  }

  /**
   * Opens a session.
   *
   * @throws IllegalStateException when {@code maxSessions} live sessions exist already
   */
  public Session open(StrataPrincipal principal) {
    if (sessions.size() >= maxSessions) {
      sessions.values().removeIf(this::expired);
      if (sessions.size() >= maxSessions) {
        throw new IllegalStateException("too many open sessions (" + maxSessions + ")");
      }
    }
    StrataPrincipal sessionPrincipal =
        new StrataPrincipal(
            principal.name(), principal.roles(), StrataPrincipal.Method.SESSION, null);
    Session session =
        new Session(Hashes.randomToken(), sessionPrincipal, Hashes.randomToken(), clock.instant());
    sessions.put(session.id(), session);
    return session;
  }

  /**
   * The live session with this id, its idle time restarted; empty when unknown or idle too long (an
   * expired session is removed).
   */
  public Optional<Session> touch(String id) {
    return find(id, true);
  }

  /**
   * The live session with this id, its idle time left running: for the console's periodic refresh,
   * which must not keep an unattended console logged in.
   */
  public Optional<Session> peek(String id) {
    return find(id, false);
  }

  private Optional<Session> find(String id, boolean refresh) {
    if (id == null) {
      return Optional.empty();
    }
    Session found = sessions.get(id);
    if (found == null) {
      return Optional.empty();
    }
    if (expired(found)) {
      sessions.remove(id, found);
      return Optional.empty();
    }
    if (!refresh) {
      return Optional.of(found);
    }
    Session touched =
        new Session(found.id(), found.principal(), found.csrfToken(), clock.instant());
    sessions.replace(id, found, touched);
    return Optional.of(touched);
  }

  /** Ends a session; idempotent. */
  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  private boolean expired(Session s) {
    return !s.lastSeen().plus(idleTimeout).isAfter(clock.instant());
  }
}
