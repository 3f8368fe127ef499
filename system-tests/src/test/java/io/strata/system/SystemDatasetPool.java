package io.strata.system;

import io.minio.MinioClient;
import io.strata.controller.s3.SystemDataset;
import io.strata.demo.EmbeddedS3Pool;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.TestS3;
import java.nio.file.Path;
import java.util.List;

/**
 * The system dataset on one real S3 pool (S3Proxy), for the tests of what the controller keeps
 * there. The pool can be stopped and started again on the same port and directory, as a pool that
 * stops answering for a while.
 */
final class SystemDatasetPool implements AutoCloseable {
  static final PoolCredentials KEYS =
      new PoolCredentials("TESTACCESSKEY", "test-secret-key-0123456789");

  private final Path dir;
  private EmbeddedS3Pool pool;

  /** A client of the pool, to look at what is kept as an operator would. */
  final MinioClient client;

  final SystemDataset dataset;

  SystemDatasetPool(Path dir) throws Exception {
    this.dir = dir;
    this.pool = EmbeddedS3Pool.start(dir, 0, KEYS);
    this.client = TestS3.client(pool.endpoint().toString(), KEYS);
    this.dataset =
        new SystemDataset(
            () -> List.of(new SystemDataset.Target("pool-0", client)), "strata-system");
  }

  /** Stops the pool; nothing can be read or written until {@link #restart}. */
  void stop() throws Exception {
    pool.close();
  }

  /** Starts the pool again, on the same port and directory. */
  void restart() throws Exception {
    pool = EmbeddedS3Pool.start(dir, pool.endpoint().getPort(), KEYS);
  }

  @Override
  public void close() throws Exception {
    pool.close();
  }
}
