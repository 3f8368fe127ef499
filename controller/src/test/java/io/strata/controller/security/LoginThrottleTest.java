package io.strata.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.ZkPaths;
import io.strata.runtime.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The login throttle in an embedded ZooKeeper, as two replicas see it. */
class LoginThrottleTest {
  private static final String HOST = "192.0.2.7";
  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T08:00:00Z"));
  private TestZooKeeper zookeeper;
  private CuratorFramework curator;
  private LoginThrottle replica1;
  private LoginThrottle replica2;

  @BeforeEach
  void start() {
    zookeeper = TestZooKeeper.unchecked();
    curator = zookeeper.client();
    replica1 = new LoginThrottle(curator, clock, LoginThrottle.Settings.DEFAULTS);
    replica2 = new LoginThrottle(zookeeper.client(), clock, LoginThrottle.Settings.DEFAULTS);
  }

  @AfterEach
  void stop() throws Exception {
    zookeeper.close();
  }

  @Test
  void theFirstFailureIsFreeThenWaitsDoubleUntilTheLockAfterFive() {
    assertThat(replica1.refusal("alice", HOST)).isEmpty();
    replica1.failed("alice", HOST);
    assertThat(replica2.refusal("alice", HOST)).as("one typo costs nothing").isEmpty();
    List<Duration> waits = new ArrayList<>();
    for (int failure = 2; failure <= 5; failure++) {
      replica1.failed("alice", HOST);
      waits.add(replica2.refusal("alice", HOST).orElseThrow());
    }
    assertThat(waits)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofMinutes(15));
  }

  @Test
  void aLockEndsAfterItsTimeAndTheCountStartsAgain() {
    for (int i = 0; i < 5; i++) {
      replica1.failed("alice", HOST);
    }
    clock.advance(Duration.ofMinutes(14));
    assertThat(replica2.refusal("alice", HOST)).contains(Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(1));
    assertThat(replica2.refusal("alice", HOST)).isEmpty();
    replica2.failed("alice", HOST);
    assertThat(replica1.refusal("alice", HOST)).as("counted from one again").isEmpty();
  }

  @Test
  void aLoginForgetsItsUsersFailuresButNotItsAddresses() {
    for (int i = 0; i < 12; i++) {
      replica1.failed("user-" + i, HOST);
    }
    replica1.failed("alice", HOST);
    replica1.failed("alice", "198.51.100.1");
    replica1.succeeded("alice");
    assertThat(replica1.refusal("alice", "198.51.100.1")).isEmpty();
    assertThat(replica2.refusal("alice", HOST))
        .as("13 failures from one address: waits 2^(13-10) s")
        .contains(Duration.ofSeconds(8));
  }

  @Test
  void anAddressIsLockedAfterTwentyFailuresWhateverTheNamesTried() {
    for (int i = 0; i < 20; i++) {
      replica1.failed("name-" + i, HOST);
    }
    assertThat(replica2.refusal("someone-else", HOST)).contains(Duration.ofMinutes(15));
    assertThat(replica2.refusal("someone-else", "198.51.100.1")).isEmpty();
  }

  @Test
  void aNameThatIsNoUsersIsCountedAsAUsersIsAndNeverStoredInClear() throws Exception {
    String typedIntoTheNameField = "Secret-Passw0rd!";
    for (int i = 0; i < 5; i++) {
      replica1.failed(typedIntoTheNameField, HOST);
      replica1.failed("alice", HOST);
    }
    assertThat(replica1.refusal(typedIntoTheNameField, "198.51.100.1"))
        .isEqualTo(replica1.refusal("alice", "198.51.100.1"));
    for (String child : curator.getChildren().forPath(ZkPaths.LOGIN_FAILURES)) {
      assertThat(child).hasSize(64).doesNotContain("alice");
      String data =
          new String(
              curator.getData().forPath(ZkPaths.loginFailures(child)), StandardCharsets.UTF_8);
      assertThat(data).doesNotContain(typedIntoTheNameField).doesNotContain("alice");
    }
  }

  @Test
  void failuresCountedAtOnceOnTwoReplicasAreAllCounted() throws Exception {
    LoginThrottle.Settings noBackoff =
        new LoginThrottle.Settings(
            new LoginThrottle.Rule(100, 100),
            new LoginThrottle.Rule(1000, 1000),
            Duration.ZERO,
            Duration.ofMinutes(5),
            Duration.ofMinutes(15));
    LoginThrottle a = new LoginThrottle(curator, clock, noBackoff);
    LoginThrottle b = new LoginThrottle(zookeeper.client(), clock, noBackoff);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        LoginThrottle t = i % 2 == 0 ? a : b;
        done.add(pool.submit(() -> t.failed("alice", HOST)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(a.refusal("alice", HOST)).as("100 failures: locked").isPresent();
  }

  @Test
  void theSweepDeletesOnlyForgottenCounters() throws Exception {
    replica1.failed("alice", HOST);
    clock.advance(Duration.ofMinutes(10));
    replica1.failed("bob", "198.51.100.1");
    clock.advance(Duration.ofMinutes(6));
    assertThat(replica2.sweep()).as("alice's and " + HOST + "'s").isEqualTo(2);
    assertThat(curator.getChildren().forPath(ZkPaths.LOGIN_FAILURES)).hasSize(2);
  }

  @Test
  void withoutZooKeeperALoginCannotBeCheckedAndSaysSo() throws Exception {
    zookeeper.close();
    assertThatThrownBy(() -> replica1.refusal("alice", HOST))
        .isInstanceOf(LoginThrottle.Unavailable.class)
        .hasMessageContaining("ZooKeeper is not reachable");
  }

  @Test
  void waitsAreCappedAndZeroBackoffMeansLocksOnly() {
    LoginThrottle.Settings capped =
        new LoginThrottle.Settings(
            new LoginThrottle.Rule(1, 40),
            new LoginThrottle.Rule(1, 40),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15));
    Instant last = clock.instant();
    assertThat(capped.wait(capped.user(), 30, last, last)).isEqualTo(Duration.ofMinutes(5));
    LoginThrottle.Settings locksOnly =
        new LoginThrottle.Settings(
            capped.user(),
            capped.address(),
            Duration.ZERO,
            Duration.ofMinutes(5),
            Duration.ofMinutes(15));
    assertThat(locksOnly.wait(locksOnly.user(), 39, last, last)).isZero();
    assertThat(locksOnly.wait(locksOnly.user(), 40, last, last)).isEqualTo(Duration.ofMinutes(15));
  }
}
