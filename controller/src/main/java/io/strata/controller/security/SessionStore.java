package io.strata.controller.security;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.controller.zookeeper.ZkPaths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console sessions, kept in ZooKeeper so that every replica knows them: a browser stays logged in
 * when a load balancer sends it to another replica, or when the replica that opened its session
 * restarts. A session is a random id (the cookie) bound to a principal and a CSRF token, ended
 * after {@code idleTimeout} without a request. Its node is named by the id's SHA-256, so what
 * ZooKeeper holds cannot be replayed as a cookie.
 *
 * <p>A request reads its session's node, so a log-off on one replica ends the session on all. The
 * time of the last request is written back at most every tenth of the timeout, so a session ends
 * between 90% and 100% of the timeout after its last request. When ZooKeeper cannot be reached, no
 * session is found (and none opened): people log in again once it is back, and scripts' bearer
 * tokens, which need no ZooKeeper, go on working. Thread-safe.
 */
public final class SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

  /** One logged-in browser. */
  public record Session(String id, StrataPrincipal principal, String csrfToken, Instant lastSeen) {}

  /**
   * What a session's node holds: everything but its id and its roles, which are its user's as the
   * users file has them at each request. (Nodes written before held the roles too; they are read.)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Stored(String user, String csrfToken, long lastSeenMillis) {}

  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  private final CuratorFramework curator;
  private final Clock clock;
  private final Duration idleTimeout;
  private final int maxSessions;

  private final Function<String, Optional<Set<String>>> currentRoles;

  /**
   * @param currentRoles a user's roles now, empty once the user is gone: a session carries its
   *     user's roles as they are, and ends when its user does
   */
  public SessionStore(
      CuratorFramework curator,
      Clock clock,
      Duration idleTimeout,
      int maxSessions,
      Function<String, Optional<Set<String>>> currentRoles) {
    this.curator = curator;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.maxSessions = maxSessions;
    this.currentRoles = currentRoles;
  }

  /**
   * Opens a session.
   *
   * @throws IllegalStateException when {@code maxSessions} live sessions exist already, or
   *     ZooKeeper cannot store the session
   */
  public Session open(StrataPrincipal principal) {
    try {
      if (liveCount() >= maxSessions) {
        throw new IllegalStateException("too many open sessions (" + maxSessions + ")");
      }
      Session session =
          new Session(
              Hashes.randomToken(),
              new StrataPrincipal(
                  principal.name(), principal.roles(), StrataPrincipal.Method.SESSION, null),
              Hashes.randomToken(),
              clock.instant());
      curator
          .create()
          .creatingParentsIfNeeded()
          .forPath(ZkPaths.session(Hashes.sha256(session.id())), write(session));
      return session;
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("could not store a console session in ZooKeeper: {}", e.toString());
      throw new IllegalStateException("cannot open a session now: ZooKeeper is not reachable", e);
    }
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

  /** Ends a session on every replica; idempotent. */
  public void close(String id) {
    if (id == null) {
      return;
    }
    try {
      curator.delete().forPath(ZkPaths.session(Hashes.sha256(id)));
    } catch (KeeperException.NoNodeException e) {
      // Already ended.
    } catch (Exception e) {
      LOG.warn("could not end a console session in ZooKeeper: {}", e.toString());
    }
  }

  /**
   * One live session as an admin sees it: by the SHA-256 of its id (what ZooKeeper names it by,
   * which cannot be replayed as a cookie), never the id or its CSRF token.
   */
  public record Listed(String sessionHash, String user, Instant lastSeen) {}

  /**
   * The live sessions, at most {@code limit}, oldest activity first.
   *
   * @throws IllegalStateException when ZooKeeper cannot be read
   */
  public List<Listed> list(int limit) {
    List<String> children;
    try {
      children = curator.getChildren().forPath(ZkPaths.SESSIONS);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw new IllegalStateException("cannot list sessions now: ZooKeeper is not reachable", e);
    }
    Instant now = clock.instant();
    java.util.ArrayList<Listed> out = new java.util.ArrayList<>();
    for (String child : children) {
      try {
        Stored stored = read(curator.getData().forPath(ZkPaths.session(child)));
        Instant lastSeen = Instant.ofEpochMilli(stored.lastSeenMillis());
        if (!expired(lastSeen, now) && currentRoles.apply(stored.user()).isPresent()) {
          out.add(new Listed(child, stored.user(), lastSeen));
        }
      } catch (KeeperException.NoNodeException e) {
        // Ended meanwhile.
      } catch (Exception e) {
        throw new IllegalStateException("cannot list sessions now: ZooKeeper is not reachable", e);
      }
    }
    out.sort(java.util.Comparator.comparing(Listed::lastSeen).thenComparing(Listed::sessionHash));
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  /**
   * Ends the session whose id hashes to {@code sessionHash}, on every replica.
   *
   * @return false when there is no such session
   * @throws IllegalStateException when ZooKeeper cannot be reached
   */
  public boolean end(String sessionHash) {
    try {
      curator.delete().forPath(ZkPaths.session(sessionHash));
      return true;
    } catch (KeeperException.NoNodeException e) {
      return false;
    } catch (Exception e) {
      throw new IllegalStateException("cannot end a session now: ZooKeeper is not reachable", e);
    }
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  private Optional<Session> find(String id, boolean refresh) {
    if (id == null) {
      return Optional.empty();
    }
    String path = ZkPaths.session(Hashes.sha256(id));
    try {
      Stat stat = new Stat();
      Stored stored = read(curator.getData().storingStatIn(stat).forPath(path));
      Instant lastSeen = Instant.ofEpochMilli(stored.lastSeenMillis());
      Instant now = clock.instant();
      Optional<Set<String>> roles = currentRoles.apply(stored.user());
      if (expired(lastSeen, now) || roles.isEmpty()) {
        deleteIfUnchanged(path, stat.getVersion());
        return Optional.empty();
      }
      if (refresh && lastSeen.plus(idleTimeout.dividedBy(10)).isBefore(now)) {
        Stored touched = new Stored(stored.user(), stored.csrfToken(), now.toEpochMilli());
        try {
          curator
              .setData()
              .withVersion(stat.getVersion())
              .forPath(path, JSON.writeValueAsBytes(touched));
        } catch (KeeperException.BadVersionException e) {
          // Another replica touched it at the same moment: the session is as fresh.
        }
        lastSeen = now;
      }
      return Optional.of(
          new Session(
              id,
              new StrataPrincipal(stored.user(), roles.get(), StrataPrincipal.Method.SESSION, null),
              stored.csrfToken(),
              lastSeen));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      LOG.warn("could not read a console session from ZooKeeper: {}", e.toString());
      return Optional.empty();
    }
  }

  /** Live sessions; once at the limit, expired ones found on the way are removed. */
  private int liveCount() throws Exception {
    List<String> children;
    try {
      children = curator.getChildren().forPath(ZkPaths.SESSIONS);
    } catch (KeeperException.NoNodeException e) {
      return 0;
    }
    if (children.size() < maxSessions) {
      return children.size();
    }
    int live = 0;
    Instant now = clock.instant();
    for (String child : children) {
      String path = ZkPaths.session(child);
      try {
        Stat stat = new Stat();
        Stored stored = read(curator.getData().storingStatIn(stat).forPath(path));
        if (!expired(Instant.ofEpochMilli(stored.lastSeenMillis()), now)) {
          live++;
        } else {
          deleteIfUnchanged(path, stat.getVersion());
        }
      } catch (KeeperException.NoNodeException e) {
        // Ended meanwhile.
      }
    }
    return live;
  }

  private void deleteIfUnchanged(String path, int version) throws Exception {
    try {
      curator.delete().withVersion(version).forPath(path);
    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
      // Ended, or touched by another replica after all.
    }
  }

  private boolean expired(Instant lastSeen, Instant now) {
    return !lastSeen.plus(idleTimeout).isAfter(now);
  }

  private static byte[] write(Session s) throws Exception {
    return JSON.writeValueAsBytes(
        new Stored(s.principal().name(), s.csrfToken(), s.lastSeen().toEpochMilli()));
  }

  private static Stored read(byte[] data) throws Exception {
    return JSON.readValue(data, Stored.class);
  }
}
