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
  /**
   * One HTTP client for every pool's census, health check and bucket keeping: its connection pool
   * and threads are shared, where a client per pool would hold its own (a controller reaches every
   * pool of the fleet).
   */
  private static final OkHttpClient HTTP =
      new OkHttpClient.Builder()
          .connectTimeout(3, TimeUnit.SECONDS)
          .readTimeout(30, TimeUnit.SECONDS)
          .writeTimeout(30, TimeUnit.SECONDS)
          .retryOnConnectionFailure(true)
          .build();

  private CensusClients() {}

  /**
   * A client for one pool. Connect timeout is short so that an unreachable pool is reported
   * quickly; reads may take longer (large listings). A request that meets a pooled connection the
   * pool has closed while it was idle (MinIO and S3Proxy close them after 30 s, less than a census
   * or health check may wait) goes again on a new connection: without that, every census of a pool
   * counted once a minute, and every health check polled less often than its idle timeout, would
   * report it unreachable. A pool that refuses the new connection is still reported at once.
   */
  public static MinioClient client(String endpoint, PoolCredentials credentials) {
    return MinioClient.builder()
        .endpoint(endpoint)
        .credentials(credentials.accessKey(), credentials.secretKey())
        .httpClient(HTTP)
        .build();
  }
}
