package io.strata.topology;

import java.util.Objects;

/**
 * One S3 endpoint (a MinIO deployment or any S3-compatible server) living in one failure domain.
 *
 * @param id unique across the map; also the name agents use for it
 * @param domain the id of the domain it lives in (usually a rack or a node)
 * @param tier the name of its tier
 * @param endpoint its S3 URL
 * @param capacityBytes usable capacity in bytes
 * @param credentialsRef where its credentials come from ({@code env:NAME} or {@code file:PATH});
 *     never the secret itself
 * @param state its state
 * @param weight its placement weight; by default its capacity in TiB
 * @param objectLock whether it locks the copies Strata writes, and how; none by default
 */
public record Pool(
    String id,
    String domain,
    String tier,
    String endpoint,
    long capacityBytes,
    String credentialsRef,
    DomainState state,
    double weight,
    ObjectLock objectLock) {
  public Pool {
    Objects.requireNonNull(id, "id");
    state = state == null ? DomainState.UP : state;
    objectLock = objectLock == null ? ObjectLock.NONE : objectLock;
  }

  /** A pool that locks nothing. */
  public Pool(
      String id,
      String domain,
      String tier,
      String endpoint,
      long capacityBytes,
      String credentialsRef,
      DomainState state,
      double weight) {
    this(id, domain, tier, endpoint, capacityBytes, credentialsRef, state, weight, ObjectLock.NONE);
  }

  /** The default weight of a pool: its capacity in TiB. */
  public static double weightOf(long capacityBytes) {
    return capacityBytes / (double) ByteSize.TIB;
  }

  public Pool withState(DomainState newState) {
    return new Pool(
        id, domain, tier, endpoint, capacityBytes, credentialsRef, newState, weight, objectLock);
  }

  public Pool withWeight(double newWeight) {
    return new Pool(
        id, domain, tier, endpoint, capacityBytes, credentialsRef, state, newWeight, objectLock);
  }
}
