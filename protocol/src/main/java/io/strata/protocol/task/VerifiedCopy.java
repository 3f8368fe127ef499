package io.strata.protocol.task;

import java.util.Objects;

/**
 * One copy of an object that the controller saw verified in a pool.
 *
 * @param pool id of the pool holding the copy
 * @param size size in bytes
 * @param sha256 lowercase hex SHA-256 of the content
 */
public record VerifiedCopy(String pool, long size, String sha256) {
  public VerifiedCopy {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(sha256, "sha256");
  }
}
