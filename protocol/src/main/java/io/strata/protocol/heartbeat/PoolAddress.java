package io.strata.protocol.heartbeat;

/**
 * Where a pool is, as the controller tells an agent that must reach a pool it was not configured
 * with (a pool added to the fleet, a copy's source elsewhere).
 *
 * @param endpoint the pool's S3 URL
 * @param credentials a reference ({@code file:PATH} or {@code env:NAME}) the agent resolves on its
 *     own node; never the secret
 */
public record PoolAddress(String endpoint, String credentials) {}
