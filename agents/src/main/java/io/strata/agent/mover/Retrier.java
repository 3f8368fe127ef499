package io.strata.agent.mover;

import io.strata.agent.task.CancellationToken;
import io.strata.agent.task.TaskCancelledException;
import io.strata.protocol.task.FailureKind;
import io.strata.protocol.task.TaskFailure;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs S3 calls, retrying transient errors with the {@link RetryPolicy}'s back-off and failing at
 * once on permanent ones. Thread-safe.
 */
final class Retrier {

  /** One S3 call. */
  @FunctionalInterface
  interface S3Call<T> {
    T call() throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  private final RetryPolicy policy;
  private final MoverMetrics metrics;

  Retrier(RetryPolicy policy, MoverMetrics metrics) {
    this.policy = policy;
    this.metrics = metrics;
  }

  /**
   * Runs {@code call} until it succeeds, fails permanently, or runs out of attempts.
   *
   * @param pool pool the call goes to, for metrics and messages
   * @param what the operation, e.g. {@code "GET fz/a/1"}, for messages
   * @throws MoverException with the classified failure
   * @throws CancelledException when the task is cancelled while waiting or transferring
   */
  <T> T call(String pool, String what, CancellationToken cancellation, S3Call<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        cancellation.check();
        return call.call();
      } catch (Exception e) {
        if (S3Errors.isCancellation(e) || cancellation.isCancelled()) {
          throw new CancelledException();
        }
        if (e instanceof MoverException m && m.failure().kind() == FailureKind.PERMANENT) {
          throw m;
        }
        TaskFailure failure = S3Errors.classify(pool, what, e);
        if (failure.kind() == FailureKind.PERMANENT) {
          throw new MoverException(failure);
        }
        if (attempt >= policy.maxAttempts()) {
          throw new MoverException(
              TaskFailure.transientFailure(
                  failure.reason() + " (gave up after " + attempt + " attempts)"));
        }
        metrics.retry(pool);
        LOG.debug("retrying {} (attempt {}): {}", what, attempt, failure.reason());
        try {
          cancellation.sleep(policy.backoff(attempt, ThreadLocalRandom.current().nextDouble()));
        } catch (TaskCancelledException cancelled) {
          throw new CancelledException();
        }
      }
    }
  }

  /** Unwinds a task that was cancelled. */
  static final class CancelledException extends RuntimeException {
    CancelledException() {
      super("task cancelled", null, false, false);
    }
  }
}
