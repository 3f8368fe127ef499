package io.strata.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationTokenTest {

  @Test
  void runsEachRegisteredActionOnceWhenCancelled() {
    CancellationToken token = new CancellationToken();
    AtomicInteger aborted = new AtomicInteger();
    token.onCancel(aborted::incrementAndGet);
    token.onCancel(aborted::incrementAndGet);

    assertThat(aborted).as("nothing before the cancel").hasValue(0);
    token.cancel();
    token.cancel();

    assertThat(aborted).hasValue(2);
  }

  @Test
  void runsAnActionRegisteredAfterTheCancelAtOnce() {
    CancellationToken token = new CancellationToken();
    token.cancel();
    AtomicInteger aborted = new AtomicInteger();

    token.onCancel(aborted::incrementAndGet);

    assertThat(aborted).hasValue(1);
  }

  @Test
  void forgetsAnActionWhoseWorkHasEnded() {
    CancellationToken token = new CancellationToken();
    AtomicInteger aborted = new AtomicInteger();
    Runnable forget = token.onCancel(aborted::incrementAndGet);

    forget.run();
    token.cancel();

    assertThat(aborted).hasValue(0);
  }
}
