package io.strata.bench.mover;

import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.strata.agent.mover.PoolEndpoint;
import io.strata.demo.EmbeddedS3Pool;
import io.strata.runtime.s3.PoolCredentials;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A benchmark pool: the demo's embedded S3Proxy pool, with helpers to load it. */
final class BenchPool implements AutoCloseable {

  final String id;
  final String accessKey = "ak-" + UUID.randomUUID();
  final String secretKey = "sk-" + UUID.randomUUID();
  private final EmbeddedS3Pool pool;
  final URI endpoint;
  final MinioClient client;

  BenchPool(String id, Path dir) throws Exception {
    this.id = id;
    pool = EmbeddedS3Pool.start(dir, 0, new PoolCredentials(accessKey, secretKey));
    endpoint = pool.endpoint();
    client =
        MinioClient.builder()
            .endpoint(endpoint.toString())
            .credentials(accessKey, secretKey)
            .region("us-east-1")
            .build();
  }

  PoolEndpoint poolEndpoint() {
    return new PoolEndpoint(id, endpoint, accessKey, secretKey);
  }

  void createBucket(String bucket) throws Exception {
    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
  }

  void put(String bucket, String key, byte[] content) throws Exception {
    put(bucket, key, new ByteArrayInputStream(content), content.length);
  }

  void put(String bucket, String key, InputStream content, long size) throws Exception {
    client.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(content, size, 64L * 1024 * 1024)
            .contentType("application/dicom")
            .build());
  }

  /** Deletes every object of {@code bucket}, a thousand per request. */
  void empty(String bucket) throws Exception {
    List<DeleteObject> keys = new ArrayList<>();
    for (Result<Item> item :
        client.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
      keys.add(new DeleteObject(item.get().objectName()));
    }
    for (int from = 0; from < keys.size(); from += 1000) {
      List<DeleteObject> batch = keys.subList(from, Math.min(keys.size(), from + 1000));
      for (Result<DeleteError> error :
          client.removeObjects(RemoveObjectsArgs.builder().bucket(bucket).objects(batch).build())) {
        DeleteError e = error.get();
        throw new IllegalStateException(
            "could not delete " + e.objectName() + " from pool " + id + ": " + e.message());
      }
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
    pool.close();
  }
}
