package io.strata.runtime.s3;

import io.minio.MinioClient;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Builds MinIO clients for censuses, health checks, bucket keeping and the system dataset, all on
 * one HTTP client: its connection pool and threads are shared, where a client per pool would hold
 * its own (a controller reaches every pool of the fleet). Timeouts are short, so that an
 * unreachable pool is reported quickly. The mover has its own clients ({@code
 * io.strata.agent.mover.PoolClients}), sized and timed for transfers.
 *
 * <p>Thread-safe. Must be closed once its clients are no longer used: closing ends the HTTP
 * client's threads and idle connections, and the clients it built stop working.
 */
public final class S3Clients implements AutoCloseable {
  private final OkHttpClient http =
      new OkHttpClient.Builder()
          .connectTimeout(3, TimeUnit.SECONDS)
          .readTimeout(30, TimeUnit.SECONDS)
          .writeTimeout(30, TimeUnit.SECONDS)
          .retryOnConnectionFailure(true)
          .build();

  /**
   * A client for one pool. Connect timeout is short so that an unreachable pool is reported
   * quickly; reads may take longer (large listings). A request that meets a pooled connection the
   * pool has closed while it was idle (MinIO and S3Proxy close them after 30 s, less than a census
   * or health check may wait) goes again on a new connection: without that, every census of a pool
   * counted once a minute, and every health check polled less often than its idle timeout, would
   * report it unreachable. A pool that refuses the new connection is still reported at once.
   */
  public MinioClient client(String endpoint, PoolCredentials credentials) {
    return MinioClient.builder()
        .endpoint(endpoint)
        .credentials(credentials.accessKey(), credentials.secretKey())
        .httpClient(http)
        .build();
  }

  /** Ends the shared HTTP client's threads and closes its idle connections. Idempotent. */
  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
