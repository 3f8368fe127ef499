package io.strata.agent.mover;

import io.strata.agent.task.CancellationToken;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntConsumer;

/**
 * Applies bandwidth budgets, cancellation and a byte counter to a transfer stream. Not thread-safe.
 */
final class MeteredInputStream extends FilterInputStream {

  private final Bandwidth bandwidth;
  private final String[] pools;
  private final CancellationToken cancellation;
  private final IntConsumer onBytes;

  MeteredInputStream(
      InputStream in,
      Bandwidth bandwidth,
      CancellationToken cancellation,
      IntConsumer onBytes,
      String... pools) {
    super(in);
    this.bandwidth = bandwidth;
    this.pools = pools;
    this.cancellation = cancellation;
    this.onBytes = onBytes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    cancellation.check();
    int n = in.read(b, off, len);
    if (n > 0) {
      bandwidth.acquire(n, pools);
      onBytes.accept(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skipping is not supported on transfer streams");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
