package io.strata.controller.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.protocol.heartbeat.WorkAnswer;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.TimeoutHandler;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which waits are answered, with what, and what followers read of the board. */
class WorkSignalsTest {
  static final Duration TIMEOUT =
      Duration.ofSeconds(Long.getLong("strata.test.timeout.seconds", 60));
  static final Duration LONG = Duration.ofMinutes(5);

  WorkSignals signals;

  @AfterEach
  void stop() throws Exception {
    if (signals != null) {
      signals.stop();
    }
  }

  /** A held request: the answer it was resumed with, and the timeout set on it. */
  static final class Held implements AsyncResponse {
    volatile Object answer;
    volatile long timeoutMillis = -1;
    volatile TimeoutHandler onTimeout;

    Boolean work() {
      return answer == null ? null : ((WorkAnswer) answer).work();
    }

    void timesOut() {
      onTimeout.handleTimeout(this);
    }

    @Override
    public synchronized boolean resume(Object response) {
      if (answer != null) {
        return false;
      }
      answer = response;
      return true;
    }

    @Override
    public boolean resume(Throwable response) {
      throw new AssertionError("a wait is never answered with an error", response);
    }

    @Override
    public boolean cancel() {
      throw new AssertionError();
    }

    @Override
    public boolean cancel(int retryAfter) {
      throw new AssertionError();
    }

    @Override
    public boolean cancel(Date retryAfter) {
      throw new AssertionError();
    }

    @Override
    public boolean isSuspended() {
      return answer == null;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return answer != null;
    }

    @Override
    public boolean setTimeout(long time, TimeUnit unit) {
      timeoutMillis = unit.toMillis(time);
      return true;
    }

    @Override
    public void setTimeoutHandler(TimeoutHandler handler) {
      onTimeout = handler;
    }

    @Override
    public Collection<Class<?>> register(Class<?> callback) {
      throw new AssertionError();
    }

    @Override
    public Map<Class<?>, Collection<Class<?>>> register(Class<?> callback, Class<?>... callbacks) {
      throw new AssertionError();
    }

    @Override
    public Collection<Class<?>> register(Object callback) {
      throw new AssertionError();
    }

    @Override
    public Map<Class<?>, Collection<Class<?>>> register(Object callback, Object... callbacks) {
      throw new AssertionError();
    }
  }

  WorkSignals started(int maxWaiting) {
    signals = new WorkSignals(maxWaiting);
    signals.start();
    return signals;
  }

  @Test
  void workForAPoolAnswersOnlyTheWaitsOnItAndEachOnce() {
    started(10);
    Held a = new Held();
    Held b = new Held();
    Held c = new Held();
    signals.hold("agent-a", Set.of("pool-1", "pool-2"), LONG, a);
    signals.hold("agent-b", Set.of("pool-2"), LONG, b);
    signals.hold("agent-c", Set.of("pool-3"), LONG, c);
    assertThat(a.timeoutMillis).isEqualTo(LONG.toMillis());

    signals.workFor("pool-2");

    await("both waits on pool-2 answered").atMost(TIMEOUT).until(() -> a.isDone() && b.isDone());
    assertThat(a.work()).isTrue();
    assertThat(b.work()).isTrue();
    assertThat(c.isDone()).isFalse();
    assertThat(signals.waiting()).isEqualTo(1);
    assertThat(signals.woken()).isEqualTo(2);
    // Answered, they are no longer held: more work for their pools answers nobody again.
    signals.workFor("pool-1");
    await("pool-1 on the board").atMost(TIMEOUT).until(() -> signals.since("", 0).version() == 2);
    assertThat(signals.woken()).isEqualTo(2);
  }

  @Test
  void aWaitThatTimesOutEndsWithoutWorkAndIsNoLongerHeld() {
    started(10);
    Held a = new Held();
    signals.hold("agent-a", Set.of("pool-1"), Duration.ofSeconds(9), a);
    assertThat(a.timeoutMillis).isEqualTo(9_000);

    a.timesOut();

    assertThat(a.work()).isFalse();
    assertThat(signals.waiting()).isZero();
  }

  @Test
  void anAgentsNewWaitEndsItsOldOneAndAReplicaHoldsAtMostItsShare() {
    started(2);
    Held first = new Held();
    Held again = new Held();
    signals.hold("agent-a", Set.of("pool-1"), LONG, first);
    signals.hold("agent-a", Set.of("pool-1"), LONG, again);
    assertThat(first.work()).isFalse();
    assertThat(again.isDone()).isFalse();

    Held b = new Held();
    Held tooMany = new Held();
    signals.hold("agent-b", Set.of("pool-1"), LONG, b);
    signals.hold("agent-c", Set.of("pool-1"), LONG, tooMany);
    assertThat(tooMany.work()).as("beyond the most waits: answered at once").isFalse();
    assertThat(signals.waiting()).isEqualTo(2);

    signals.endAll();
    assertThat(again.work()).isFalse();
    assertThat(b.work()).isFalse();
    assertThat(signals.waiting()).isZero();
    // Stopping: a wait asked now is not held, or the server's graceful stop would wait for it.
    Held late = new Held();
    signals.hold("agent-a", Set.of("pool-1"), LONG, late);
    assertThat(late.work()).isFalse();
    assertThat(signals.waiting()).isZero();
  }

  @Test
  void followersReadThePoolsSignalledSinceTheirVersionOrStartAfreshWhenTheyCannot() {
    started(10);
    WorkSignals.Read first = signals.since("", 0);
    assertThat(first.pools()).as("another board: read on from its version").isNull();
    assertThat(first.version()).isZero();

    signals.workFor("pool-1");
    await().atMost(TIMEOUT).until(() -> signals.since(first.board(), 0).version() == 1);
    signals.workFor("pool-2");
    await().atMost(TIMEOUT).until(() -> signals.since(first.board(), 0).version() == 2);
    signals.workFor("pool-1");
    await().atMost(TIMEOUT).until(() -> signals.since(first.board(), 0).version() == 3);

    assertThat(signals.since(first.board(), 0).pools()).containsExactly("pool-1", "pool-2");
    assertThat(signals.since(first.board(), 2).pools()).containsExactly("pool-1");
    assertThat(signals.since(first.board(), 3).pools()).isEmpty();
    assertThat(signals.since("another-leader", 1).pools()).isNull();
    assertThat(signals.since(first.board(), 4).pools()).as("ahead of the board").isNull();
  }

  @Test
  void aFollowerBehindTheBoardsHistoryIsToldToReadOnRatherThanGivenAPartOfIt() {
    started(10);
    String board = signals.since("", 0).board();
    // Signals noted together are coalesced per pool: each pool once per batch the thread takes.
    for (int i = 0; i <= WorkSignals.HISTORY; i++) {
      signals.workFor("pool-" + i);
    }
    await()
        .atMost(TIMEOUT)
        .until(() -> signals.since(board, 0).version() == WorkSignals.HISTORY + 1);

    assertThat(signals.since(board, 0).pools()).isNull();
    assertThat(signals.since(board, 1).pools()).hasSize(WorkSignals.HISTORY);
    assertThat(signals.since(board, WorkSignals.HISTORY).pools())
        .isEqualTo(List.of("pool-" + WorkSignals.HISTORY));
  }

  @Test
  void aWaitFoundToHaveWorkAfterItIsHeldIsAnsweredOnlyIfStillHeld() {
    signals = new WorkSignals(10);
    Held first = new Held();
    Held second = new Held();
    signals.hold("agent-a", Set.of("pool-1"), LONG, first);
    signals.hold("agent-a", Set.of("pool-1"), LONG, second); // Ends the first, without work.

    signals.answerHeld("agent-a", first);
    assertThat(first.work()).as("no longer held: ended without work").isFalse();
    assertThat(second.isDone()).isFalse();

    signals.answerHeld("agent-a", second);
    assertThat(second.work()).isTrue();
    assertThat(signals.waiting()).isZero();
    assertThat(signals.woken()).isEqualTo(1);
    signals.answerHeld("agent-a", second); // Answered already: nothing more.
    assertThat(signals.woken()).isEqualTo(1);
  }

  @Test
  void aWaitHeldOnAPoolLeasableAtTheLastLookIsAnsweredAtTheNext() {
    AtomicInteger looks = new AtomicInteger();
    // Leasable at every look: taken by another agent between two looks, and leasable again.
    signals = new WorkSignals(10, Duration.ofMillis(100));
    signals.watch(
        () -> {
          looks.incrementAndGet();
          return new WorkSignals.Look(Set.of("pool-1"), null);
        });
    signals.start();
    await("two looks").atMost(TIMEOUT).until(() -> looks.get() >= 2);

    Held a = new Held(); // Its agent found nothing to lease: held.
    signals.hold("agent-a", Set.of("pool-1"), LONG, a);

    await("the wait answered at a look after it was held").atMost(TIMEOUT).until(a::isDone);
    assertThat(a.work()).isTrue();
  }

  @Test
  void heldBackWorkIsLookedAtAgainWhenTheLookSaysItBecomesLeasable() {
    AtomicInteger looks = new AtomicInteger();
    // Looks an hour apart unless a look says sooner: the first says its budget pays back in 100 ms.
    signals = new WorkSignals(10, Duration.ofHours(1));
    signals.watch(
        () ->
            looks.incrementAndGet() == 1
                ? new WorkSignals.Look(Set.of(), Duration.ofMillis(100))
                : new WorkSignals.Look(Set.of("pool-1"), null));
    Held a = new Held();
    signals.hold("agent-a", Set.of("pool-1"), LONG, a);
    signals.start();

    await("the wait on pool-1 answered at the look the first asked for")
        .atMost(TIMEOUT)
        .until(a::isDone);
    assertThat(a.work()).isTrue();
    assertThat(looks.get()).isEqualTo(2);
  }

  @Test
  void workHeldBackThatBecomesLeasableIsSignalledOnceWhileItStaysSo() {
    java.util.concurrent.atomic.AtomicReference<Set<String>> leasable =
        new java.util.concurrent.atomic.AtomicReference<>(Set.of());
    signals = new WorkSignals(10);
    signals.watch(() -> new WorkSignals.Look(leasable.get(), null));
    signals.start();
    String board = signals.since("", 0).board();
    Held a = new Held();
    Held b = new Held();
    signals.hold("agent-a", Set.of("pool-1"), LONG, a);
    signals.hold("agent-b", Set.of("pool-2"), LONG, b);

    leasable.set(Set.of("pool-1")); // Its budget freed.

    await("the wait on pool-1 answered").atMost(TIMEOUT).until(a::isDone);
    assertThat(a.work()).isTrue();
    assertThat(b.isDone()).isFalse();
    assertThat(signals.since(board, 0).pools()).containsExactly("pool-1");
    // Still leasable at the next looks (its agent busy elsewhere, say): not signalled again.
    leasable.set(Set.of("pool-1", "pool-2"));
    await("pool-2 signalled").atMost(TIMEOUT).until(b::isDone);
    assertThat(signals.since(board, 0).pools()).containsExactly("pool-1", "pool-2");
    assertThat(signals.since(board, 0).version()).isEqualTo(2);
  }

  @Test
  void aFollowerWakesItsWaitsFromWhatItRead() {
    started(10);
    Held a = new Held();
    signals.hold("agent-a", Set.of("pool-7"), LONG, a);

    signals.wake(List.of("pool-6", "pool-7"));

    assertThat(a.work()).isTrue();
  }
}
