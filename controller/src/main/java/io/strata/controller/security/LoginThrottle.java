package io.strata.controller.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.Managed;
import io.strata.controller.zookeeper.ZkPaths;
import io.strata.runtime.DaemonScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits password guessing, per user name tried and per source address, for every replica at once:
 * the failed logins are counted in ZooKeeper. After {@link Rule#backoffAfter} failures a key must
 * wait {@code backoff}, doubled with each further failure up to {@code maxBackoff}; after {@link
 * Rule#lockAfter} failures it is locked for {@code lockFor}. Failures are forgotten {@code lockFor}
 * after the last one, and a user's are forgotten when that user logs in.
 *
 * <p>A refused attempt does not check the password (so it costs no bcrypt time) and does not count
 * as a failure. User names that are no user's are counted as names that are, so the answers (401,
 * then 429 after the same number of tries, with the same {@code Retry-After}) never tell whether a
 * user exists. A counter is named by the SHA-256 of its key, so ZooKeeper never holds a name that
 * was a password typed one field too early.
 *
 * <p>Cost: a login reads two small nodes; a failure writes them. When ZooKeeper cannot be reached
 * the throttle cannot be checked, and a login is refused ({@link Unavailable}): scripts' bearer
 * tokens, which need no password, go on working.
 *
 * <p>Once started, it {@link #sweep}s forgotten counters every {@code lockFor}. Thread-safe; must
 * be started once and eventually stopped.
 */
public final class LoginThrottle implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  /**
   * When one kind of key (a user name, a source address) is slowed down and locked.
   *
   * @param backoffAfter failures after which each attempt must wait; 1 or more
   * @param lockAfter failures after which the key is locked for {@code lockFor}; at least {@code
   *     backoffAfter}
   */
  public record Rule(int backoffAfter, int lockAfter) {
    public Rule {
      if (backoffAfter < 1 || lockAfter < backoffAfter) {
        throw new IllegalArgumentException(
            "need 1 <= backoffAfter <= lockAfter, got " + backoffAfter + " and " + lockAfter);
      }
    }
  }

  /**
   * The throttle's settings.
   *
   * @param user the rule of user names
   * @param address the rule of source addresses
   * @param backoff the first wait; zero for none (locks only)
   * @param maxBackoff the longest wait before the lock
   * @param lockFor how long a lock lasts, and how long failures are remembered
   */
  public record Settings(
      Rule user, Rule address, Duration backoff, Duration maxBackoff, Duration lockFor) {

    /** The defaults: users back off after 2 failures and lock after 5; addresses 10 and 20. */
    public static final Settings DEFAULTS =
        new Settings(
            new Rule(2, 5),
            new Rule(10, 20),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15));

    /**
     * How long a key with {@code count} failures, the last at {@code last}, must still wait at
     * {@code now}; zero when it may try. Pure.
     */
    public Duration wait(Rule rule, int count, Instant last, Instant now) {
      Instant forgotten = last.plus(lockFor);
      if (count <= 0 || !now.isBefore(forgotten)) {
        return Duration.ZERO;
      }
      Instant until;
      if (count >= rule.lockAfter()) {
        until = forgotten;
      } else if (count >= rule.backoffAfter() && !backoff.isZero()) {
        int doublings = Math.min(count - rule.backoffAfter(), 30);
        Duration step = backoff.multipliedBy(1L << doublings);
        until = last.plus(step.compareTo(maxBackoff) > 0 ? maxBackoff : step);
      } else {
        return Duration.ZERO;
      }
      return now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
    }
  }

  /** ZooKeeper could not be asked or told: the login cannot be checked now. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(Exception cause) {
      super("login attempts cannot be checked now: ZooKeeper is not reachable", cause);
    }
  }

  /** What one counter's node holds. */
  record Failures(int count, long lastMillis) {}

  private final CuratorFramework curator;
  private final Clock clock;
  private final Settings settings;
  private ScheduledExecutorService sweeper;

  public LoginThrottle(CuratorFramework curator, Clock clock, Settings settings) {
    this.curator = curator;
    this.clock = clock;
    this.settings = settings;
  }

  @Override
  public synchronized void start() {
    if (sweeper != null) {
      throw new IllegalStateException("login throttle already started");
    }
    sweeper = DaemonScheduler.named("login-throttle-sweeper");
    long every = settings.lockFor().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (sweeper != null) {
      sweeper.shutdownNow();
      sweeper = null;
    }
  }

  public Settings settings() {
    return settings;
  }

  /**
   * How long a login of {@code user} from {@code address} must wait; empty when it may try now.
   *
   * @throws Unavailable when ZooKeeper cannot be read
   */
  public Optional<Duration> refusal(String user, String address) {
    Instant now = clock.instant();
    Duration byUser = wait(settings.user(), userKey(user), now);
    Duration byAddress = wait(settings.address(), addressKey(address), now);
    Duration longest = byUser.compareTo(byAddress) >= 0 ? byUser : byAddress;
    return longest.isZero() ? Optional.empty() : Optional.of(longest);
  }

  /**
   * Counts a failed login of {@code user} from {@code address}, on every replica.
   *
   * @throws Unavailable when ZooKeeper cannot be written
   */
  public void failed(String user, String address) {
    long now = clock.millis();
    increment(userKey(user), now);
    increment(addressKey(address), now);
  }

  /** Forgets the failures of {@code user}, who just logged in; a failure to do so is logged. */
  public void succeeded(String user) {
    String path = ZkPaths.loginFailures(userKey(user));
    try {
      // A read first: most logins have nothing to forget, and a delete is a write to the quorum.
      if (curator.checkExists().forPath(path) != null) {
        curator.delete().forPath(path);
      }
    } catch (KeeperException.NoNodeException e) {
      // Nothing to forget: the common case.
    } catch (Exception e) {
      LOG.warn("could not clear the failed logins of a user in ZooKeeper: {}", e.toString());
    }
  }

  /**
   * Deletes the counters whose failures are forgotten by now, so that names tried once do not stay
   * in ZooKeeper. Idempotent; a counter that fails again meanwhile is left alone.
   *
   * @return how many were deleted
   */
  public int sweep() {
    List<String> children;
    try {
      children = curator.getChildren().forPath(ZkPaths.LOGIN_FAILURES);
    } catch (KeeperException.NoNodeException e) {
      return 0;
    } catch (Exception e) {
      LOG.warn("could not list failed logins in ZooKeeper: {}", e.toString());
      return 0;
    }
    int deleted = 0;
    Instant now = clock.instant();
    for (String child : children) {
      String path = ZkPaths.loginFailures(child);
      try {
        Stat stat = new Stat();
        Failures f =
            JSON.readValue(curator.getData().storingStatIn(stat).forPath(path), Failures.class);
        if (!now.isBefore(Instant.ofEpochMilli(f.lastMillis()).plus(settings.lockFor()))) {
          curator.delete().withVersion(stat.getVersion()).forPath(path);
          deleted++;
        }
      } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
        // Cleared by a login, or failed again meanwhile.
      } catch (Exception e) {
        LOG.warn("could not sweep a failed-login counter: {}", e.toString());
      }
    }
    return deleted;
  }

  private Duration wait(Rule rule, String key, Instant now) {
    try {
      byte[] data = curator.getData().forPath(ZkPaths.loginFailures(key));
      Failures f = JSON.readValue(data, Failures.class);
      return settings.wait(rule, f.count(), Instant.ofEpochMilli(f.lastMillis()), now);
    } catch (KeeperException.NoNodeException e) {
      return Duration.ZERO;
    } catch (Exception e) {
      throw new Unavailable(e);
    }
  }

  /** Adds one failure, compare-and-set, so that two replicas counting at once both count. */
  private void increment(String key, long now) {
    String path = ZkPaths.loginFailures(key);
    try {
      while (true) {
        Stat stat = new Stat();
        Failures before;
        try {
          before =
              JSON.readValue(curator.getData().storingStatIn(stat).forPath(path), Failures.class);
        } catch (KeeperException.NoNodeException e) {
          try {
            curator
                .create()
                .creatingParentsIfNeeded()
                .forPath(path, JSON.writeValueAsBytes(new Failures(1, now)));
            return;
          } catch (KeeperException.NodeExistsException raced) {
            continue;
          }
        }
        boolean forgotten =
            !Instant.ofEpochMilli(now)
                .isBefore(Instant.ofEpochMilli(before.lastMillis()).plus(settings.lockFor()));
        Failures after = new Failures(forgotten ? 1 : before.count() + 1, now);
        try {
          curator
              .setData()
              .withVersion(stat.getVersion())
              .forPath(path, JSON.writeValueAsBytes(after));
          return;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException raced) {
          // Another replica counted, or a login cleared it: count again on what is there now.
        }
      }
    } catch (Exception e) {
      throw new Unavailable(e);
    }
  }

  private static String userKey(String user) {
    return Hashes.sha256("user:" + (user == null ? "" : user));
  }

  private static String addressKey(String address) {
    return Hashes.sha256("address:" + (address == null ? "-" : address));
  }
}
