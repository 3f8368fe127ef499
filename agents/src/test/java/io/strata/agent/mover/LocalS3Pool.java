package io.strata.agent.mover;

import static org.awaitility.Awaitility.await;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Upload;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 pool for tests: S3Proxy on 127.0.0.1 with a random port, storing objects in a directory
 * through the jclouds {@code filesystem} provider. Random keys per pool.
 */
final class LocalS3Pool implements AutoCloseable {

  private final String id;
  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String accessKey = "ak-" + UUID.randomUUID();
  private final String secretKey = "sk-" + UUID.randomUUID();
  private final URI endpoint;
  private final MinioClient client;

  private LocalS3Pool(String id, Path dir, boolean ignoreUnknownHeaders) throws Exception {
    this.id = id;
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
    context =
        ContextBuilder.newBuilder("filesystem")
            .overrides(properties)
            .credentials("identity", "credential")
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .ignoreUnknownHeaders(ignoreUnknownHeaders)
            .build();
    proxy.start();
    await("S3Proxy " + id + " started")
        .atMost(Timeouts.base())
        .pollInterval(Duration.ofMillis(10))
        .until(() -> "STARTED".equals(proxy.getState()));
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    client =
        MinioClient.builder()
            .endpoint(endpoint.toString())
            .credentials(accessKey, secretKey)
            .region("us-east-1")
            .build();
  }

  static LocalS3Pool start(String id, Path dir) throws Exception {
    return new LocalS3Pool(id, dir, false);
  }

  /**
   * A pool that stores objects whatever headers their requests carry that S3Proxy does not know (it
   * refuses them otherwise), behind a proxy that answers for what those headers ask.
   */
  static LocalS3Pool startIgnoringUnknownHeaders(String id, Path dir) throws Exception {
    return new LocalS3Pool(id, dir, true);
  }

  String id() {
    return id;
  }

  int port() {
    return proxy.getPort();
  }

  PoolEndpoint endpoint() {
    return new PoolEndpoint(id, endpoint, accessKey, secretKey);
  }

  /** This pool's endpoint reached through another port, e.g. a fault-injecting proxy. */
  PoolEndpoint endpointVia(int port) {
    return new PoolEndpoint(id, URI.create("http://127.0.0.1:" + port), accessKey, secretKey);
  }

  PoolEndpoint endpointWithWrongSecret() {
    return new PoolEndpoint(id, endpoint, accessKey, "wrong-" + secretKey);
  }

  MinioClient client() {
    return client;
  }

  void createBucket(String bucket) throws Exception {
    if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
  }

  /** Puts {@code count} one-byte objects named {@code prefix} and a five-digit number from 0. */
  void putNumbered(String bucket, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      put(bucket, String.format("%s%05d", prefix, i), new byte[] {(byte) i});
    }
  }

  void put(String bucket, String key, byte[] content) throws Exception {
    put(bucket, key, content, "application/octet-stream", Map.of());
  }

  void put(
      String bucket, String key, byte[] content, String contentType, Map<String, String> metadata)
      throws Exception {
    client.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                new ByteArrayInputStream(content), content.length, -1)
            .contentType(contentType)
            .userMetadata(metadata)
            .build());
  }

  StatObjectResponse head(String bucket, String key) throws Exception {
    return client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
  }

  /** Whether the pool holds {@code key}. */
  boolean has(String bucket, String key) throws Exception {
    try {
      head(bucket, key);
      return true;
    } catch (io.minio.errors.ErrorResponseException e) {
      if (e.errorResponse().code().equals("NoSuchKey")) {
        return false;
      }
      throw e;
    }
  }

  byte[] read(String bucket, String key) throws Exception {
    try (InputStream in =
        client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return in.readAllBytes();
    }
  }

  /** Incomplete multipart uploads in the bucket. */
  List<Upload> incompleteUploads(String bucket) throws Exception {
    return poolClient().incompleteUploads(bucket, null);
  }

  /** Starts a multipart upload of {@code key} that nobody will complete; returns its id. */
  String startUpload(String bucket, String key) throws Exception {
    return poolClient()
        .createMultipartUploadAsync(
            bucket, null, key, com.google.common.collect.HashMultimap.create(), null)
        .get()
        .result()
        .uploadId();
  }

  private PoolClient poolClient() {
    MinioAsyncClient async =
        MinioAsyncClient.builder()
            .endpoint(endpoint.toString())
            .credentials(accessKey, secretKey)
            .region("us-east-1")
            .build();
    return new PoolClient(id, async);
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
