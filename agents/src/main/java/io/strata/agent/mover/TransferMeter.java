package io.strata.agent.mover;

import io.strata.protocol.task.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntConsumer;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Wraps the streams of a copy in the agent's bandwidth budgets and the task's cancellation, and
 * counts the bytes that make progress. Thread-safe; each stream it returns is not.
 */
final class TransferMeter {

  private final Bandwidth bandwidth;
  private final MoverMetrics metrics;

  TransferMeter(Bandwidth bandwidth, MoverMetrics metrics) {
    this.bandwidth = bandwidth;
    this.metrics = metrics;
  }

  /**
   * {@code in}, metered against the budgets of the agent and of each of {@code pools}.
   *
   * @param pool the pool whose byte counter the bytes go to when {@code counted}
   * @param counted whether the bytes count as the task's progress and in its metrics (a first read
   *     that only hashes the source does not)
   */
  InputStream metered(
      InputStream in, TaskContext context, String pool, boolean counted, String[] pools) {
    return new MeteredInputStream(
        in, bandwidth, context.cancellation(), counter(context, pool, counted), pools);
  }

  /**
   * Reads exactly {@code size} bytes of {@code in} into a buffer, metered as {@link #metered}
   * meters a stream (with the bytes counted), up to {@link #CHUNK} bytes at a time; the segments
   * okio read them into are moved into the buffer, not copied.
   *
   * @throws ContentMismatchException of {@code mismatchKind} when {@code in} ends before {@code
   *     size} bytes or goes on past them
   */
  Buffer read(
      BufferedSource in,
      long size,
      FailureKind mismatchKind,
      TaskContext context,
      String pool,
      String[] pools)
      throws IOException {
    IntConsumer counted = counter(context, pool, true);
    Buffer content = new Buffer();
    while (content.size() < size) {
      context.cancellation().check();
      in.request(Math.min(CHUNK, size - content.size()));
      long n = in.read(content, Math.min(CHUNK, size - content.size()));
      if (n < 0) {
        throw new ContentMismatchException(
            "content ended after " + content.size() + " of " + size + " bytes", mismatchKind);
      }
      bandwidth.acquire((int) n, pools);
      counted.accept((int) n);
    }
    if (!in.exhausted()) {
      throw new ContentMismatchException(
          "content is longer than the expected " + size + " bytes", mismatchKind);
    }
    return content;
  }

  /** Bytes taken into memory between two checks of the budgets and the cancellation. */
  static final int CHUNK = 64 * 1024;

  private IntConsumer counter(TaskContext context, String pool, boolean counted) {
    return counted
        ? n -> {
          context.progress().bytesDone(n);
          metrics.bytes(context.task().type(), pool, n);
        }
        : n -> {};
  }
}
