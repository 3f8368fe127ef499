package io.strata.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The study ages the soak chooses: phases crossed during the run, none while it converges. */
class AgeClockTest {
  static final Instant ORIGIN = Instant.parse("2026-12-06T12:00:00Z");
  final AgeClock clock = new AgeClock(ORIGIN, 10_000);
  final Instant quietFrom = ORIGIN.plusSeconds(600);
  final Instant quietUntil = quietFrom.plusSeconds(380);

  @Test
  void noStudyCrossesAPhaseWhileTheFleetConvergesAndManyCrossBefore() {
    Random random = new Random(1);
    int crossed = 0;
    for (int i = 0; i < 5_000; i++) {
      Instant written = ORIGIN.plusMillis(random.nextInt(600_000));
      Duration atQuiet = clock.ageAtQuiet(random, written, quietFrom, quietUntil);
      Duration atWrite = atQuiet.minus(clock.span(Duration.between(written, quietFrom)));
      Duration atEnd = atQuiet.plus(clock.span(Duration.between(quietFrom, quietUntil)));
      assertThat(atWrite.isNegative()).as("written as a study of the past: %s", atWrite).isFalse();
      for (Duration boundary : new Duration[] {AgeClock.HOT_ENDS, AgeClock.COLD_ONLY_FROM}) {
        // A study date counts whole days: a day either way must not reach the boundary.
        boolean crossesQuietly =
            atQuiet.minusDays(1).compareTo(boundary) < 0
                && atEnd.plusDays(1).compareTo(boundary) >= 0;
        assertThat(crossesQuietly)
            .as("%s at quiet, %s at its end, boundary %s", atQuiet, atEnd, boundary)
            .isFalse();
        if (atWrite.compareTo(boundary) < 0 && atQuiet.compareTo(boundary) >= 0) {
          crossed++;
        }
      }
    }
    assertThat(crossed).as("studies crossing a phase during the run").isGreaterThan(1_000);
  }

  @Test
  void theAgeClockRunsFromItsOriginAtItsScale() {
    assertThat(clock.at(ORIGIN.plusSeconds(1))).isEqualTo(ORIGIN.plusSeconds(10_000));
    assertThat(clock.span(Duration.ofMillis(8640))).isEqualTo(Duration.ofDays(1));
  }
}
