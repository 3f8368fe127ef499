package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransfersTest {

  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Transfers transfers = new Transfers(threads, 4);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void itemsAreWorkedOnAsTheyAreYieldedAndResultsComeInItemOrder() {
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
              await(firstDone);
            }
            return next++;
          }
        };

    List<Integer> results =
        transfers.map(
            items,
            new CancellationToken(),
            n -> {
              if (n == 1) {
                firstDone.countDown();
              }
              return n * 10;
            });

    assertThat(results).containsExactly(10, 20, 30);
  }

  @Test
  void aFailingItemSourceStopsNewWorkLetsRunningWorkFinishAndIsRethrown() {
    CountDownLatch running = new CountDownLatch(2);
    AtomicInteger finished = new AtomicInteger();
    Iterator<Integer> items =
        new Iterator<>() {
          int next = 1;

          @Override
          public boolean hasNext() {
            if (next == 3) {
              await(running);
              throw new IllegalStateException("listing failed after page 1");
            }
            return true;
          }

          @Override
          public Integer next() {
            return next++;
          }
        };

    assertThatThrownBy(
            () ->
                transfers.map(
                    items,
                    new CancellationToken(),
                    n -> {
                      running.countDown();
                      sleep(200);
                      return finished.incrementAndGet();
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("listing failed after page 1");
    assertThat(finished)
        .as("both items started had finished when the failure was thrown")
        .hasValue(2);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
