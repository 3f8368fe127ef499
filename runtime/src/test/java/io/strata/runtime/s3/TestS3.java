package io.strata.runtime.s3;

import io.minio.MinioClient;

/**
 * MinIO clients for tests that look into a pool beside the system under test. One {@link S3Clients}
 * serves the whole test JVM and ends with it; production code owns and closes its own.
 */
public final class TestS3 {
  private static final S3Clients CLIENTS = new S3Clients();

  private TestS3() {}

  /** A client for the pool at {@code endpoint}. */
  public static MinioClient client(String endpoint, PoolCredentials credentials) {
    return CLIENTS.client(endpoint, credentials);
  }
}
