package io.strata.protocol.heartbeat;

/**
 * Where a pool is, as the controller tells an agent that must reach a pool it was not configured
 * with (a pool added to the fleet, a copy's source elsewhere), and whether it locks the copies
 * written to it.
 *
 * @param endpoint the pool's S3 URL
 * @param credentials a reference ({@code file:PATH} or {@code env:NAME}) the agent resolves on its
 *     own node; never the secret
 * @param objectLock {@code governance} or {@code compliance} when the pool locks the copies Strata
 *     writes (S3 object lock), null when it locks none
 */
public record PoolAddress(String endpoint, String credentials, String objectLock) {

  /** A pool that locks nothing. */
  public PoolAddress(String endpoint, String credentials) {
    this(endpoint, credentials, null);
  }
}
