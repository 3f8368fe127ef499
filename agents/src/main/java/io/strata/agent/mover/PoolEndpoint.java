package io.strata.agent.mover;

import io.strata.topology.ObjectLock;
import java.net.URI;
import java.util.Objects;

/**
 * How to reach one pool. The keys are secrets: {@link #toString()} never shows them, and no log
 * line, exception or task result built by the mover contains them.
 *
 * @param poolId the pool's id in the cluster map
 * @param endpoint base URL of the pool's S3 API, without credentials
 * @param accessKey S3 access key
 * @param secretKey S3 secret key
 * @param objectLock whether the pool locks the copies written to it, and how (never null)
 */
public record PoolEndpoint(
    String poolId, URI endpoint, String accessKey, String secretKey, ObjectLock objectLock) {

  /** A pool that locks nothing. */
  public PoolEndpoint(String poolId, URI endpoint, String accessKey, String secretKey) {
    this(poolId, endpoint, accessKey, secretKey, ObjectLock.NONE);
  }

  /** This pool, locking as {@code lock} says. */
  public PoolEndpoint locking(ObjectLock lock) {
    return lock == objectLock
        ? this
        : new PoolEndpoint(poolId, endpoint, accessKey, secretKey, lock);
  }

  public PoolEndpoint {
    objectLock = objectLock == null ? ObjectLock.NONE : objectLock;
    Objects.requireNonNull(poolId, "poolId");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    if (endpoint.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "pool " + poolId + ": credentials belong in the key fields, not in the endpoint URL");
    }
  }

  @Override
  public String toString() {
    return "PoolEndpoint[poolId="
        + poolId
        + ", endpoint="
        + endpoint
        + ", objectLock="
        + objectLock.label()
        + ", credentials=***]";
  }
}
