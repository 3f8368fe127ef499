package io.strata.agent.mover;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Set once when a task is cancelled; checked by streams and waits. Thread-safe. */
public final class CancellationToken {

  private final CountDownLatch cancelled = new CountDownLatch(1);

  public void cancel() {
    cancelled.countDown();
  }

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /** Throws if cancelled. */
  void check() throws TaskCancelledException {
    if (isCancelled()) {
      throw new TaskCancelledException();
    }
  }

  /** Waits up to {@code wait}; returns early, throwing, on cancellation. */
  void sleep(Duration wait) throws TaskCancelledException {
    try {
      if (cancelled.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new TaskCancelledException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskCancelledException();
    }
  }
}
