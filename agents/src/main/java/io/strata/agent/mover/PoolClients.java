package io.strata.agent.mover;

import io.minio.MinioAsyncClient;
import io.strata.agent.task.TaskFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * One client per pool, sharing one HTTP connection pool and dispatcher sized for the agent's
 * transfer concurrency (OkHttp's default of 5 requests per host would cap a 16-way copy at 5).
 * Thread-safe; must be closed.
 */
public final class PoolClients implements AutoCloseable {

  private final PoolRegistry registry;
  private final OkHttpClient http;
  private final Map<String, PoolClient> clients = new ConcurrentHashMap<>();

  public PoolClients(PoolRegistry registry, MoverSettings settings) {
    this.registry = registry;
    int parallel = settings.maxConcurrentTransfers() * 2 + 8;
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(parallel * 4);
    dispatcher.setMaxRequestsPerHost(parallel);
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(parallel, 5, TimeUnit.MINUTES))
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.ioTimeout())
            .writeTimeout(settings.ioTimeout())
            .protocols(java.util.List.of(Protocol.HTTP_1_1))
            .build();
  }

  /**
   * The client for {@code poolId}.
   *
   * @throws MoverException with a permanent failure when the registry does not know the pool
   */
  PoolClient get(String poolId) {
    if (poolId == null) {
      throw new MoverException(TaskFailure.permanent("task names no pool"));
    }
    return clients.computeIfAbsent(poolId, this::create);
  }

  private PoolClient create(String poolId) {
    PoolEndpoint endpoint =
        registry
            .find(poolId)
            .orElseThrow(
                () ->
                    new MoverException(
                        TaskFailure.permanent("unknown pool " + poolId + ": not in the registry")));
    MinioAsyncClient client =
        MinioAsyncClient.builder()
            .endpoint(endpoint.endpoint().toString())
            .credentials(endpoint.accessKey(), endpoint.secretKey())
            .region(PoolClient.REGION)
            .httpClient(http, false)
            .build();
    return new PoolClient(poolId, client);
  }

  @Override
  public void close() {
    clients.clear();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
