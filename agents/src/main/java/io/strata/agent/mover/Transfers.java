package io.strata.agent.mover;

import io.strata.agent.task.CancellationToken;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs per-object work on the agent's shared transfer threads, whose number is the agent's cap on
 * concurrent transfers. A task keeps at most that many items queued, so one large shard cannot
 * flood the queue. Thread-safe.
 */
final class Transfers {

  private final ExecutorService executor;
  private final int window;

  Transfers(ExecutorService executor, int window) {
    this.executor = executor;
    this.window = window;
  }

  /**
   * Applies {@code work} to every item, in parallel, and returns once all of it has finished. The
   * first exception stops new items from starting, lets running ones finish, and is rethrown.
   */
  <I> void forEach(List<I> items, CancellationToken cancellation, Consumer<I> work) {
    forEach(items.iterator(), cancellation, work);
  }

  /**
   * Applies {@code work} to every item as {@code items} yields it, so that the first items are
   * worked on while later ones are still being produced (a listing read page by page). An exception
   * from {@code items} counts as the first exception, as one from {@code work} does. Holds nothing
   * per item beyond the window of items running, so a task of a million keys costs no more memory
   * here than one of a hundred; {@code work} keeps what it must of each item's result.
   */
  <I> void forEach(Iterator<I> items, CancellationToken cancellation, Consumer<I> work) {
    Semaphore slots = new Semaphore(window);
    AtomicReference<RuntimeException> firstError = new AtomicReference<>();
    while (firstError.get() == null && !cancellation.isCancelled()) {
      I item;
      try {
        if (!items.hasNext()) {
          break;
        }
        item = items.next();
      } catch (RuntimeException e) {
        // Running items still finish before this is rethrown, so none outlives the task.
        firstError.compareAndSet(null, e);
        break;
      }
      slots.acquireUninterruptibly();
      try {
        CompletableFuture.runAsync(() -> work.accept(item), executor)
            .whenComplete(
                (r, e) -> {
                  if (e != null) {
                    firstError.compareAndSet(null, unwrap(e));
                  }
                  slots.release();
                });
      } catch (RejectedExecutionException e) {
        // The agent is shutting down.
        slots.release();
        firstError.compareAndSet(null, e);
      }
    }
    // Every running item holds a slot until it has finished.
    slots.acquireUninterruptibly(window);
    if (firstError.get() != null) {
      throw firstError.get();
    }
    if (cancellation.isCancelled()) {
      throw new Retrier.CancelledException();
    }
  }

  /**
   * Starts {@code work} on a transfer thread, for a step of a task that can overlap another (the
   * listing of one pool while the task's thread lists the other).
   */
  <T> CompletableFuture<T> start(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, executor);
  }

  /** The result of a step started with {@link #start}, its exception rethrown as it was thrown. */
  static <T> T join(CompletableFuture<T> step) {
    try {
      return step.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      throw unwrap(e);
    }
  }

  private static RuntimeException unwrap(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return t instanceof RuntimeException r ? r : new IllegalStateException(t);
  }
}
