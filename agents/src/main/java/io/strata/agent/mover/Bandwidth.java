package io.strata.agent.mover;

import com.google.common.util.concurrent.RateLimiter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte budgets of the agent and of each pool, as token buckets (Guava {@link RateLimiter}, which
 * lets a burst through and makes the next caller pay for it). A transfer takes tokens from the
 * agent's bucket and from the bucket of every pool it touches. Thread-safe.
 */
final class Bandwidth {

  private final RateLimiter agent;
  private final Map<String, Long> poolRates;
  private final Map<String, RateLimiter> pools = new ConcurrentHashMap<>();

  Bandwidth(long agentBytesPerSecond, Map<String, Long> poolBytesPerSecond) {
    this.agent = agentBytesPerSecond > 0 ? RateLimiter.create(agentBytesPerSecond) : null;
    this.poolRates = Map.copyOf(poolBytesPerSecond);
  }

  /** Blocks until {@code bytes} may move through the agent and through each of {@code pools}. */
  void acquire(int bytes, String... poolIds) {
    if (bytes <= 0) {
      return;
    }
    if (agent != null) {
      agent.acquire(bytes);
    }
    for (String pool : poolIds) {
      RateLimiter limiter = poolLimiter(pool);
      if (limiter != null) {
        limiter.acquire(bytes);
      }
    }
  }

  private RateLimiter poolLimiter(String pool) {
    Long rate = poolRates.get(pool);
    if (rate == null || rate <= 0) {
      return null;
    }
    return pools.computeIfAbsent(pool, p -> RateLimiter.create(rate));
  }
}
