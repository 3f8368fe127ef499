package io.strata.bench.soak;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.strata.runtime.s3.PoolCredentials;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the pools hold, read through S3 as any client would: a listing of every dataset on every
 * pool still in the fleet, and the SHA-256 of a copy's content, read back whole.
 *
 * <p>Thread-safe. Must be closed.
 */
final class PoolContents implements AutoCloseable {
  /** One copy listed: its size and when it was written. */
  record Copy(long size, Instant lastModified) {}

  private final SoakFiles files;

  PoolContents(SoakFiles files) {
    this.files = files;
  }

  /**
   * A client with a long read timeout: S3Proxy's filesystem backend reads every object's metadata
   * for each page of a listing, so on a busy machine a page of a pool of thousands of objects takes
   * longer than the fleet's own clients wait (30 s).
   */
  MinioClient client(String poolId) {
    SoakFiles.PoolSite site = files.pools.get(poolId);
    PoolCredentials keys =
        PoolCredentials.resolve(site.pool().credentialsRef(), files.dir, Map.of());
    return MinioClient.builder()
        .endpoint(site.pool().endpoint())
        .credentials(keys.accessKey(), keys.secretKey())
        .httpClient(http)
        .build();
  }

  private final okhttp3.OkHttpClient http =
      new okhttp3.OkHttpClient.Builder()
          .connectTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
          .readTimeout(5, java.util.concurrent.TimeUnit.MINUTES)
          .writeTimeout(1, java.util.concurrent.TimeUnit.MINUTES)
          .build();

  private final ExecutorService listers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "soak-lister");
            t.setDaemon(true);
            return t;
          });

  /** Why the last listing that failed did, naming the pool. */
  private volatile String lastFailure = "";

  String lastFailure() {
    return lastFailure;
  }

  /**
   * Lists every dataset of every pool but {@code skip}: pool id to {@code dataset/key} to copy.
   *
   * @return empty when some pool cannot be listed now (restarting, reset by the proxy)
   */
  Optional<Map<String, Map<String, Copy>>> list(Set<String> skip) {
    // Each pool is a process of its own: listed side by side, the fleet's listing takes as long as
    // its slowest pool rather than the sum.
    Map<String, Future<Optional<Map<String, Copy>>>> pending = new TreeMap<>();
    for (String pool : files.pools.keySet()) {
      if (!skip.contains(pool)) {
        pending.put(pool, listers.submit(() -> list(pool)));
      }
    }
    Map<String, Map<String, Copy>> out = new HashMap<>();
    boolean whole = true;
    for (Map.Entry<String, Future<Optional<Map<String, Copy>>>> e : pending.entrySet()) {
      try {
        Optional<Map<String, Copy>> copies = e.getValue().get();
        copies.ifPresent(c -> out.put(e.getKey(), c));
        whole &= copies.isPresent();
      } catch (ExecutionException failed) {
        lastFailure = "pool " + e.getKey() + ": " + failed.getCause();
        whole = false;
      } catch (InterruptedException interrupted) {
        pending.values().forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return whole ? Optional.of(out) : Optional.empty();
  }

  /** Lists every dataset of one pool; empty when it cannot be listed now. */
  Optional<Map<String, Copy>> list(String pool) {
    Map<String, Copy> copies = new HashMap<>();
    try {
      for (SoakFiles.Hospital h : SoakFiles.HOSPITALS) {
        list(pool, h.dataset(), copies);
      }
      return Optional.of(copies);
    } catch (Exception e) {
      lastFailure = "pool " + pool + ": " + e;
      return Optional.empty();
    }
  }

  private void list(String pool, String dataset, Map<String, Copy> into) throws Exception {
    MinioClient client = client(pool);
    if (!client.bucketExists(io.minio.BucketExistsArgs.builder().bucket(dataset).build())) {
      return;
    }
    for (Result<Item> result :
        client.listObjects(ListObjectsArgs.builder().bucket(dataset).recursive(true).build())) {
      Item item = result.get();
      into.put(
          dataset + "/" + item.objectName(),
          new Copy(
              item.size(),
              item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant()));
    }
  }

  /** A copy read back whole: what it is, and the SHA-256 of its content. */
  record Read(Copy copy, String sha256) {}

  /**
   * One copy asked for by name and read back whole, whatever a listing said: S3Proxy's filesystem
   * backend can leave out of a page an object written or removed beside it while it lists. Empty
   * when the pool does not have it or cannot say now.
   */
  Optional<Read> read(String pool, String dataset, String key) {
    try (GetObjectResponse in =
        client(pool).getObject(GetObjectArgs.builder().bucket(dataset).object(key).build())) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      long size = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
        size += n;
      }
      java.util.Date modified = in.headers().getDate("Last-Modified");
      return Optional.of(
          new Read(
              new Copy(size, modified == null ? Instant.EPOCH : modified.toInstant()),
              HexFormat.of().formatHex(digest.digest())));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** The SHA-256 of the copy's content on the pool, read back whole; empty when it cannot be. */
  Optional<String> sha256(String pool, String dataset, String key) {
    return read(pool, dataset, key).map(Read::sha256);
  }

  @Override
  public void close() {
    listers.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
