package io.strata.fleet.reconcile;

/**
 * How far a draining pool is from empty, from the leader's latest scans.
 *
 * @param pool the pool
 * @param objects objects still on it
 * @param bytes bytes still on it
 * @param etaSeconds at the recent rate of removal from draining pools, seconds until empty; null
 *     while nothing has been removed yet
 */
public record DrainProgress(String pool, long objects, long bytes, Long etaSeconds) {}
