package io.strata.bench.soak;

import io.strata.demo.EmbeddedS3Pool;
import io.strata.runtime.s3.PoolCredentials;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One S3 pool of the soak as a process of its own: S3Proxy on a filesystem backend, on 127.0.0.1.
 * Killed and started again with the same arguments, it serves the same objects on the same port.
 *
 * <p>{@code PoolMain DIR PORT CREDENTIALS_FILE}
 */
public final class PoolMain {
  private PoolMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: PoolMain DIR PORT CREDENTIALS_FILE");
      System.exit(2);
    }
    Path credentials = Path.of(args[2]).toAbsolutePath();
    PoolCredentials keys =
        PoolCredentials.resolve(
            "file:" + credentials.getFileName(), credentials.getParent(), java.util.Map.of());
    EmbeddedS3Pool pool = EmbeddedS3Pool.start(Path.of(args[0]), Integer.parseInt(args[1]), keys);
    System.out.println("pool serving " + pool.endpoint() + " from " + args[0]);
    new CountDownLatch(1).await();
  }
}
