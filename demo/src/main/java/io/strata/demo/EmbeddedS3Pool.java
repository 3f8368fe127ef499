package io.strata.demo;

import io.strata.runtime.s3.PoolCredentials;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;

/**
 * One S3 pool served by S3Proxy on a filesystem backend, bound to loopback: the same protocol as
 * MinIO, so agents and the controller use it through the MinIO SDK exactly as in production.
 *
 * <p>{@link #startInMemory} serves the pool from S3Proxy's in-memory file system backend instead,
 * for tests of many thousand objects per pool: the filesystem backend reads every object's metadata
 * under the listed prefix for each page of a listing, about 0.1 ms an object here, so a bucket of
 * 20,000 objects takes some 40 s to list; the in-memory one lists it in about 3 s.
 *
 * <p>Must be closed.
 */
public final class EmbeddedS3Pool implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;

  private EmbeddedS3Pool(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
  }

  /**
   * Starts a pool storing its objects under {@code dir}.
   *
   * @param port the port on 127.0.0.1, or 0 for any free one
   */
  public static EmbeddedS3Pool start(Path dir, int port, PoolCredentials credentials)
      throws Exception {
    Files.createDirectories(dir);
    Properties props = new Properties();
    props.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dir.toAbsolutePath().toString());
    return start(
        ContextBuilder.newBuilder("filesystem")
            .credentials(credentials.accessKey(), credentials.secretKey())
            .overrides(props)
            .build(BlobStoreContext.class),
        port,
        credentials);
  }

  /**
   * Starts a pool holding its objects in memory, gone when it is closed.
   *
   * @param port the port on 127.0.0.1, or 0 for any free one
   */
  public static EmbeddedS3Pool startInMemory(int port, PoolCredentials credentials)
      throws Exception {
    return start(
        ContextBuilder.newBuilder("transient-nio2")
            .credentials(credentials.accessKey(), credentials.secretKey())
            .build(BlobStoreContext.class),
        port,
        credentials);
  }

  private static EmbeddedS3Pool start(
      BlobStoreContext context, int port, PoolCredentials credentials) throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, credentials.accessKey(), credentials.secretKey())
            .jettyMaxThreads(32)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!proxy.getState().equals("STARTED")) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        context.close();
        throw new IllegalStateException(
            "S3 pool on port " + port + " did not start: " + proxy.getState());
      }
      Thread.onSpinWait();
    }
    return new EmbeddedS3Pool(proxy, context, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return proxy.getPort();
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
