package io.strata.agent.task;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Set once when a task is cancelled; checked by streams and waits, and acted on at once by the
 * actions registered with {@link #onCancel} (aborting the task's requests in flight). Thread-safe.
 */
public final class CancellationToken {

  private final CountDownLatch cancelled = new CountDownLatch(1);

  /** Actions registered with {@link #onCancel}, by identity; each runs at most once. */
  private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();

  public void cancel() {
    cancelled.countDown();
    for (Runnable action : actions) {
      // Removing claims the action, so neither a racing registration nor a second cancel runs it.
      if (actions.remove(action)) {
        action.run();
      }
    }
  }

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /**
   * Runs {@code action} once when the task is cancelled, at once if it already is.
   *
   * @return forgets the action; to be run when what it would abort has ended, so a long task does
   *     not keep one action per request it ever made
   */
  public Runnable onCancel(Runnable action) {
    // Held by a registration of its own, so the same action registered twice is two of them.
    Runnable registered = action::run;
    actions.add(registered);
    if (isCancelled() && actions.remove(registered)) {
      registered.run();
    }
    return () -> actions.remove(registered);
  }

  /** Throws if cancelled. */
  public void check() throws TaskCancelledException {
    if (isCancelled()) {
      throw new TaskCancelledException();
    }
  }

  /** Waits up to {@code wait}; returns early, throwing, on cancellation. */
  public void sleep(Duration wait) throws TaskCancelledException {
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
