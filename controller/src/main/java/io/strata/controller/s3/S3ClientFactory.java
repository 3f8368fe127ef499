package io.strata.controller.s3;

import io.dropwizard.lifecycle.Managed;
import io.minio.MinioClient;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.S3Clients;
import io.strata.topology.Pool;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's one source of S3 clients: every pool of the map, with the controller's
 * credentials for it, on one shared HTTP client. The bucket keeper, locate, the pools' health
 * checks and the system dataset (audit trail, capacity history) all ask it, so a pool's connections
 * are pooled once and closed once, when the controller stops.
 *
 * <p>Thread-safe. A pool's client is built at its first use and kept while its endpoint and
 * credentials reference stay the same; credentials that cannot be read throw {@link
 * IllegalArgumentException} at each use, naming the reference, until they can.
 */
public final class S3ClientFactory implements Managed {
  private final Path credentialsDir;
  private final Map<String, String> environment;
  private final S3Clients clients = new S3Clients();
  private final Map<String, MinioClient> byPool = new ConcurrentHashMap<>();

  /** Resolves credentials references against {@code credentialsDir} and the process environment. */
  public S3ClientFactory(Path credentialsDir) {
    this(credentialsDir, System.getenv());
  }

  public S3ClientFactory(Path credentialsDir, Map<String, String> environment) {
    this.credentialsDir = credentialsDir;
    this.environment = Map.copyOf(environment);
  }

  /**
   * A client for a pool of the map.
   *
   * @throws IllegalArgumentException when the pool's credentials cannot be read
   */
  public MinioClient client(Pool pool) {
    return byPool.computeIfAbsent(
        pool.id() + " " + pool.endpoint() + " " + pool.credentialsRef(),
        k ->
            clients.client(
                pool.endpoint(),
                PoolCredentials.resolve(pool.credentialsRef(), credentialsDir, environment)));
  }

  @Override
  public void stop() {
    byPool.clear();
    clients.close();
  }
}
