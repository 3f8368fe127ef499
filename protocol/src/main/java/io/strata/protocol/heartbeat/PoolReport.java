package io.strata.protocol.heartbeat;

/**
 * What an agent saw of one pool it serves.
 *
 * @param pool the pool id
 * @param reachable whether the last request to the pool succeeded
 * @param error why it was not reachable; null when it was
 * @param usedBytes bytes in Strata's datasets on the pool at the last census, -1 when unknown
 * @param objects objects in Strata's datasets on the pool at the last census, -1 when unknown
 * @param encryptionUnmet why the pool does not meet a policy's server-side encryption: the last
 *     copy this agent wrote there asking for it was not reported encrypted. Null when that copy
 *     was, or none asked
 */
public record PoolReport(
    String pool,
    boolean reachable,
    String error,
    long usedBytes,
    long objects,
    String encryptionUnmet) {

  public PoolReport(String pool, boolean reachable, String error, long usedBytes, long objects) {
    this(pool, reachable, error, usedBytes, objects, null);
  }

  /** This report with {@code reason} why the pool does not meet its encryption (null: it does). */
  public PoolReport withEncryptionUnmet(String reason) {
    return new PoolReport(pool, reachable, error, usedBytes, objects, reason);
  }
}
