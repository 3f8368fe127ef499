package io.strata.agent.mover;

import java.io.InputStream;

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
        in,
        bandwidth,
        context.cancellation(),
        counted
            ? n -> {
              context.progress().bytesDone(n);
              metrics.bytes(context.task().type(), pool, n);
            }
            : n -> {},
        pools);
  }
}
