package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScaledClockTest {
  static final Instant ORIGIN = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void aClockSpedUpAgesObjectsFasterAndSaysSoSoThatNoRetainUntilIsWrittenOnIt() {
    Clock base = Clock.fixed(ORIGIN.plusSeconds(10), ZoneOffset.UTC);

    ScaledClock demo = new ScaledClock(base, ORIGIN, 86_400);
    ScaledClock real = new ScaledClock(base, ORIGIN, 1);

    assertThat(demo.instant()).isEqualTo(ORIGIN.plusSeconds(10 * 86_400L));
    assertThat(demo.faster()).isTrue();
    assertThat(real.instant()).isEqualTo(base.instant());
    assertThat(real.faster()).isFalse();
  }
}
