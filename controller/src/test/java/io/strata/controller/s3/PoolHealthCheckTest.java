package io.strata.controller.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import io.strata.runtime.TestClock;
import io.strata.topology.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolHealthCheckTest {
  @Test
  void everyReplicaChecksEveryPoolAtMostTwentyTimesASecondInAll() {
    assertThat(PoolHealthCheck.interval(3)).isEqualTo(Duration.ofSeconds(15));
    assertThat(PoolHealthCheck.interval(300)).isEqualTo(Duration.ofSeconds(15));
    assertThat(PoolHealthCheck.interval(1_000)).isEqualTo(Duration.ofSeconds(50));
    assertThat(PoolHealthCheck.interval(10_000)).isEqualTo(Duration.ofSeconds(500));
  }

  @Test
  void aPoolIsCheckedAgainOnlyOnceItsIntervalHasPassed(@TempDir Path dir) {
    TestClock clock = new TestClock(Instant.parse("2026-12-06T00:00:00Z"));
    // Credentials that cannot be read: each check fails at once, without the network.
    Pool pool =
        new Pool(
            "p1",
            "node-1",
            "hot",
            "http://127.0.0.1:1",
            1L << 40,
            "file:missing.credentials",
            null,
            1);
    PoolHealthCheck check =
        new PoolHealthCheck(pool, new S3ClientFactory(dir), Duration.ofSeconds(50), clock);

    HealthCheck.Result first = check.execute();
    assertThat(first.isHealthy()).isFalse();
    assertThat(first.getMessage()).contains("missing.credentials");
    clock.advance(Duration.ofSeconds(24));
    assertThat(check.execute()).isSameAs(first);
    // The second check falls at a random point of the first interval's second half.
    clock.advance(Duration.ofSeconds(26));
    HealthCheck.Result second = check.execute();
    assertThat(second).isNotSameAs(first);
    clock.advance(Duration.ofSeconds(49));
    assertThat(check.execute()).isSameAs(second);
    clock.advance(Duration.ofSeconds(1));
    assertThat(check.execute()).isNotSameAs(second);
  }
}
