package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How many rounds asks for one make, and when they may run. */
class SoonRoundsTest {
  static final long S = 1_000_000_000L;
  static final long T0 = 1_000 * S;

  @Test
  void manyAsksBeforeTheRoundStartsMakeOneRound() {
    SoonRounds soon = new SoonRounds(Duration.ofSeconds(10), T0);

    assertThat(soon.ask(T0 + 5 * S)).isZero();
    assertThat(soon.ask(T0 + 5 * S)).as("pending already").isEqualTo(-1);
    soon.started();
    assertThat(soon.ask(T0 + 5 * S)).as("asked after it started: another").isNotNegative();
  }

  @Test
  void aRoundAskedForWaitsTheLeastGapOrFourTimesTheLastRoundAfterItEnded() {
    SoonRounds soon = new SoonRounds(Duration.ofSeconds(10), T0);
    soon.started();
    soon.ended(T0, T0 + S / 10, -1); // took 100 ms: the least gap, 1 s, rules

    assertThat(soon.ask(T0 + S / 10)).isEqualTo(S);
    soon.started();
    soon.ended(T0 + 2 * S, T0 + 5 * S, -1); // took 3 s: 12 s after it ended
    assertThat(soon.ask(T0 + 6 * S)).isEqualTo(11 * S);
    soon.dropped();
    assertThat(soon.ask(T0 + 20 * S)).as("long enough after").isZero();
  }

  @Test
  void theCpuTimeARoundTookRulesOverItsWallTimeWhenKnown() {
    SoonRounds soon = new SoonRounds(Duration.ofSeconds(10), T0);
    soon.started();
    soon.ended(T0, T0 + 3 * S, S / 2); // 3 s of wall time, waiting for a core; 0.5 s of CPU

    assertThat(soon.ask(T0 + 3 * S)).as("four times its CPU time").isEqualTo(2 * S);
  }

  @Test
  void anIntervalShorterThanTheLeastGapIsTheGap() {
    SoonRounds soon = new SoonRounds(Duration.ofMillis(200), T0);
    soon.started();
    soon.ended(T0, T0 + S / 100, -1);

    assertThat(soon.ask(T0 + S / 100)).isEqualTo(S / 5);
  }
}
