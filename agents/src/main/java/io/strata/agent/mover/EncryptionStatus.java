package io.strata.agent.mover;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per pool, whether the last copy this agent wrote there under a policy's server-side encryption
 * was reported encrypted; the heartbeat carries it to the controller. A pool is unmet from the
 * first copy not reported encrypted until a later copy is. Kept in memory: a restarted agent knows
 * again with its next encrypted copy. Thread-safe.
 */
public final class EncryptionStatus {
  private final Map<String, String> unmet = new ConcurrentHashMap<>();

  /** A copy on {@code pool} was reported encrypted as asked. */
  void met(String pool) {
    unmet.remove(pool);
  }

  /** A copy on {@code pool} was not; {@code reason} says what was asked and what was seen. */
  void unmet(String pool, String reason) {
    unmet.put(pool, reason);
  }

  /** Why {@code pool} does not meet the encryption asked of it; empty when it does, or none was. */
  public Optional<String> unmet(String pool) {
    return Optional.ofNullable(unmet.get(pool));
  }
}
