package io.strata.protocol.heartbeat;

/**
 * What an agent saw of one pool it serves.
 *
 * @param pool the pool id
 * @param reachable whether the last request to the pool succeeded
 * @param error why it was not reachable; null when it was
 * @param usedBytes bytes in Strata's datasets on the pool at the last census, -1 when unknown
 * @param objects objects in Strata's datasets on the pool at the last census, -1 when unknown
 */
public record PoolReport(
    String pool, boolean reachable, String error, long usedBytes, long objects) {}
