package io.strata.agent.mover;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off with full jitter for transient S3 errors. Pure: the random draw is passed
 * in.
 *
 * @param maxAttempts attempts in total, the first included (1..100)
 * @param initialBackoff upper bound of the first wait
 * @param maxBackoff cap on any wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException(
          "maxAttempts must be between 1 and 100, got " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
    }
  }

  /** Six attempts, waits from up to 200 ms doubling to at most 10 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}: uniform in {@code [0, min(max, initial *
   * 2^(failedAttempts-1))]}.
   *
   * @param failedAttempts attempts that failed so far, at least 1
   * @param random a draw uniform in {@code [0, 1)}
   */
  public Duration backoff(int failedAttempts, double random) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1");
    }
    long initial = initialBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    int shift = Math.min(failedAttempts - 1, 62);
    long ceiling = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
    return Duration.ofNanos((long) (ceiling * random));
  }
}
