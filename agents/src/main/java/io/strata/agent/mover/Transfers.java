package io.strata.agent.mover;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
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
   * Applies {@code work} to every item, in parallel, and returns the results in item order. The
   * first exception stops new items from starting, lets running ones finish, and is rethrown.
   */
  <I, O> List<O> map(List<I> items, CancellationToken cancellation, Function<I, O> work) {
    return map(items.iterator(), cancellation, work);
  }

  /**
   * Applies {@code work} to every item as {@code items} yields it, so that the first items are
   * worked on while later ones are still being produced (a listing read page by page). An exception
   * from {@code items} counts as the first exception, as one from {@code work} does.
   */
  <I, O> List<O> map(Iterator<I> items, CancellationToken cancellation, Function<I, O> work) {
    Semaphore slots = new Semaphore(window);
    AtomicReference<RuntimeException> firstError = new AtomicReference<>();
    List<CompletableFuture<O>> futures = new ArrayList<>();
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
      futures.add(
          CompletableFuture.supplyAsync(() -> work.apply(item), executor)
              .whenComplete(
                  (r, e) -> {
                    slots.release();
                    if (e != null) {
                      firstError.compareAndSet(null, unwrap(e));
                    }
                  }));
    }
    List<O> results = new ArrayList<>(futures.size());
    for (CompletableFuture<O> f : futures) {
      try {
        results.add(f.join());
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        // reported through firstError
      }
    }
    if (firstError.get() != null) {
      throw firstError.get();
    }
    if (cancellation.isCancelled()) {
      throw new Retrier.CancelledException();
    }
    return results;
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
