package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void backoffDoublesUpToTheCap() {
    assertThat(policy.backoff(1, 0.999)).isLessThanOrEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoff(3, 0.999))
        .isGreaterThan(Duration.ofMillis(390))
        .isLessThanOrEqualTo(Duration.ofMillis(400));
    assertThat(policy.backoff(60, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterSpreadsWaitsDownToZero() {
    assertThat(policy.backoff(4, 0.0)).isEqualTo(Duration.ZERO);
    assertThat(policy.backoff(4, 0.5)).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void invalidPoliciesAreRejected() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("initialBackoff");
  }
}
