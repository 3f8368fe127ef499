package io.strata.bench.mover;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.strata.agent.mover.PoolEndpoint;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** An S3Proxy pool on 127.0.0.1 over a directory (jclouds filesystem provider). */
final class BenchPool implements AutoCloseable {

  final String id;
  final String accessKey = "ak-" + UUID.randomUUID();
  final String secretKey = "sk-" + UUID.randomUUID();
  private final S3Proxy proxy;
  private final BlobStoreContext context;
  final URI endpoint;
  final MinioClient client;

  BenchPool(String id, Path dir) throws Exception {
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
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy " + id + " did not start within 30 s");
      }
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
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

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    context.close();
  }
}
