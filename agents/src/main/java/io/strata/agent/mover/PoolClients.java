package io.strata.agent.mover;

import com.google.common.util.concurrent.MoreExecutors;
import io.minio.MinioAsyncClient;
import io.strata.agent.task.CancellationToken;
import io.strata.protocol.task.TaskFailure;
import io.strata.topology.ObjectLock;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;

/**
 * One client per pool, sharing one HTTP connection pool and dispatcher sized for the agent's
 * transfer concurrency (OkHttp's default of 5 requests per host would cap a 16-way copy at 5). The
 * dispatcher runs each call on the thread that makes it: every caller of the client library's
 * asynchronous calls waits for the answer at once, so handing the call to another thread and its
 * answer back only cost two thread wake-ups per request (about a tenth of the mover's own CPU for
 * small objects in a profile of {@code ./strata bench mover}). Cancelling a task aborts its reads
 * and whole-object writes in flight, closing their connections, so a task stuck on a pool that
 * stopped answering ends at once rather than at the I/O timeout. Thread-safe; must be closed.
 */
public final class PoolClients implements AutoCloseable {

  private final PoolRegistry registry;
  private final OkHttpClient http;
  private final Map<String, PoolClient> clients = new ConcurrentHashMap<>();

  public PoolClients(PoolRegistry registry, MoverSettings settings) {
    this.registry = registry;
    int parallel = settings.maxConcurrentTransfers() * 2 + 8;
    Dispatcher dispatcher = new Dispatcher(MoreExecutors.newDirectExecutorService());
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
            .eventListenerFactory(PoolClients::abortOnCancel)
            .build();
  }

  /**
   * The client for {@code poolId} of a task: cancelling the task aborts its calls in flight that
   * are safe to cut.
   *
   * @throws MoverException with a permanent failure when the registry does not know the pool
   */
  PoolClient get(String poolId, CancellationToken cancellation) {
    if (poolId == null) {
      throw new MoverException(TaskFailure.permanent("task names no pool"));
    }
    ObjectLock lock = registry.find(poolId).map(PoolEndpoint::objectLock).orElse(ObjectLock.NONE);
    return clients.computeIfAbsent(poolId, this::create).forTask(cancellation, lock);
  }

  /**
   * Registers a call of a task that is safe to cut with its cancellation, to be cancelled with it,
   * until the call ends (after its response body is read or closed) or fails. OkHttp then fails the
   * call, or the read of its body, with an IOException, which the task's retrier takes for the
   * cancellation it is. A call made after the task was cancelled is its clean-up, and goes through.
   */
  private static EventListener abortOnCancel(Call call) {
    CancellationToken cancellation = call.request().tag(CancellationToken.class);
    if (cancellation == null || cancellation.isCancelled() || !safeToCut(call.request())) {
      return EventListener.NONE;
    }
    Runnable forget = cancellation.onCancel(call::cancel);
    return new EventListener() {
      @Override
      public void callEnd(Call call) {
        forget.run();
      }

      @Override
      public void callFailed(Call call, IOException e) {
        forget.run();
      }
    };
  }

  /**
   * Whether cutting {@code request} at any moment leaves nothing behind: reads (GET, HEAD), and the
   * PUT of a whole object, which a server stores only once it has the whole body (and, for Strata's
   * copies, checked it); cut after the body was sent, it stores the whole, checked object, which
   * the next run finds already present.
   *
   * <p>The PUT of a multipart upload's part is left to end on its own: cut after its body was sent,
   * it can still land on the server after the task aborted its upload (S3Proxy then stores it as an
   * object that nothing removes). Its body stops at the next read of the task's stream, which
   * checks the cancellation.
   */
  static boolean safeToCut(Request request) {
    return switch (request.method()) {
      case "GET", "HEAD" -> true;
      case "PUT" -> request.url().queryParameter("uploadId") == null;
      default -> false;
    };
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
