package io.strata.bench.soak;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.S3Clients;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  private final S3Clients s3 = new S3Clients();

  PoolContents(SoakFiles files) {
    this.files = files;
  }

  MinioClient client(String poolId) {
    SoakFiles.PoolSite site = files.pools.get(poolId);
    return s3.client(
        site.pool().endpoint(),
        PoolCredentials.resolve(site.pool().credentialsRef(), files.dir, Map.of()));
  }

  /**
   * Lists every dataset of every pool but {@code skip}: pool id to {@code dataset/key} to copy.
   *
   * @return empty when some pool cannot be listed now (restarting, reset by the proxy)
   */
  Optional<Map<String, Map<String, Copy>>> list(Set<String> skip) {
    Map<String, Map<String, Copy>> out = new HashMap<>();
    for (String pool : files.pools.keySet()) {
      if (skip.contains(pool)) {
        continue;
      }
      Optional<Map<String, Copy>> copies = list(pool);
      if (copies.isEmpty()) {
        return Optional.empty();
      }
      out.put(pool, copies.get());
    }
    return Optional.of(out);
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

  /** The SHA-256 of the copy's content on the pool, read back whole; empty when it cannot be. */
  Optional<String> sha256(String pool, String dataset, String key) {
    try (InputStream in =
        client(pool).getObject(GetObjectArgs.builder().bucket(dataset).object(key).build())) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
      return Optional.of(HexFormat.of().formatHex(digest.digest()));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
