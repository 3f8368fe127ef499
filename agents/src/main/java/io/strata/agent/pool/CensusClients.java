package io.strata.agent.pool;

import io.minio.MinioClient;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Builds MinIO clients with timeouts that suit health checks and censuses: short, so that an
 * unreachable pool is reported quickly. The mover has its own clients ({@code
 * io.strata.agent.mover.PoolClients}), sized and timed for transfers.
 */
public final class CensusClients {
  private CensusClients() {}

  /**
   * A client for one pool. Connect timeout is short so that an unreachable pool is reported
   * quickly; reads may take longer (large listings).
   */
  public static MinioClient client(String endpoint, PoolCredentials credentials) {
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(3, TimeUnit.SECONDS)
            .readTimeout(30, TimeUnit.SECONDS)
            .writeTimeout(30, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false)
            .build();
    return MinioClient.builder()
        .endpoint(endpoint)
        .credentials(credentials.accessKey(), credentials.secretKey())
        .httpClient(http)
        .build();
  }
}
