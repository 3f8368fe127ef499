package io.strata.fleet.view;

/**
 * A pool as the API and console show it: its place in the tree, capacity and what its agents last
 * counted.
 *
 * @param id the pool id
 * @param tier its tier
 * @param site the enclosing site
 * @param room the enclosing room
 * @param rack the enclosing rack
 * @param domain its own domain
 * @param endpoint its S3 URL
 * @param state its effective state (its own, worsened by its domains')
 * @param capacityBytes declared capacity
 * @param usedBytes bytes counted by its agents, -1 when no agent has reported
 * @param objects objects counted by its agents, -1 when no agent has reported
 * @param fill used / capacity, or -1 when unknown
 * @param reachable whether an up agent reached it at its last census; null when none reported
 * @param encryptionUnmet why it does not meet the server-side encryption a policy asks of the
 *     copies written there (an up agent's last copy there asking it was not reported encrypted, or
 *     could not ask it); null when it meets it, or no copy asked it yet
 * @param objectLock {@code governance} or {@code compliance} when it locks the copies Strata writes
 *     there (S3 object lock); null when it locks none
 */
public record PoolView(
    String id,
    String tier,
    String site,
    String room,
    String rack,
    String domain,
    String endpoint,
    String state,
    long capacityBytes,
    long usedBytes,
    long objects,
    double fill,
    Boolean reachable,
    String encryptionUnmet,
    String objectLock) {}
