package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.agent.task.CancellationToken;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransfersTest {

  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Transfers transfers = new Transfers(threads, 4);
  private final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    threads.shutdownNow();
    caller.shutdownNow();
  }

  @Test
  void itemsAreWorkedOnAsTheyAreYieldedAndAllFinishBeforeForEachReturns() {
    CountDownLatch firstDone = new CountDownLatch(1);
    Iterator<Integer> items =
        new Iterator<>() {
          int next = 1;

          @Override
          public boolean hasNext() {
            return next <= 3;
          }

          @Override
          public Integer next() {
            if (next > 3) {
              throw new NoSuchElementException();
            }
            if (next == 2) {
              // As a listing's next page: the first item is worked on before it is read.
              awaitLatch(firstDone);
            }
            return next++;
          }
        };

    Queue<Integer> results = new ConcurrentLinkedQueue<>();

    transfers.forEach(
        items,
        new CancellationToken(),
        n -> {
          if (n == 1) {
            firstDone.countDown();
          }
          results.add(n * 10);
        });

    assertThat(results).containsExactlyInAnyOrder(10, 20, 30);
  }

  @Test
  void aFailingItemSourceStopsNewWorkLetsRunningWorkFinishAndIsRethrown() {
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean sourceFailed = new AtomicBoolean();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Iterator<Integer> items =
        new Iterator<>() {
          int next = 1;

          @Override
          public boolean hasNext() {
            if (next == 3) {
              awaitLatch(running);
              sourceFailed.set(true);
              throw new IllegalStateException("listing failed after page 1");
            }
            return true;
          }

          @Override
          public Integer next() {
            return next++;
          }
        };

    CompletableFuture<Void> mapping =
        CompletableFuture.runAsync(
            () ->
                transfers.forEach(
                    items,
                    new CancellationToken(),
                    n -> {
                      started.incrementAndGet();
                      running.countDown();
                      awaitLatch(release);
                      finished.incrementAndGet();
                    }),
            caller);

    await().alias("the item source has failed").untilTrue(sourceFailed);
    await()
        .alias("forEach waits for the two items still running")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !mapping.isDone());
    release.countDown();
    assertThatThrownBy(mapping::join).hasRootCauseMessage("listing failed after page 1");
    assertThat(started).as("items started").hasValue(2);
    assertThat(finished).as("items finished before the failure was thrown").hasValue(2);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
