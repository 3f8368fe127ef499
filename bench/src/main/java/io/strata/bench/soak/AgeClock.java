package io.strata.bench.soak;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The soak's fast clock, the controllers' age clock ({@code reconcile.timeScale} from {@code
 * reconcile.timeOrigin}): objects age {@code scale} times faster than the wall clock. Study dates
 * are chosen so that objects cross the imaging policy's phases (90 days, 5 years) while the soak
 * runs, and none crosses one while the fleet is asked to converge. Immutable.
 *
 * @param origin the wall-clock instant sped-up time counts from
 * @param scale how much faster objects age
 */
record AgeClock(Instant origin, double scale) {
  /** The imaging policy's time zone: its study dates are days there. */
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  /** The policy's phase boundaries: 90 days, 5 years. */
  static final Duration HOT_ENDS = Duration.ofDays(90);

  static final Duration COLD_ONLY_FROM = Duration.ofDays(5 * 365 + 1);

  /** The sped-up instant at wall-clock {@code wall}. */
  Instant at(Instant wall) {
    long elapsed = Duration.between(origin, wall).toMillis();
    return origin.plusMillis((long) (elapsed * scale));
  }

  /** Sped-up time that passes in {@code wall} of the wall clock. */
  Duration span(Duration wall) {
    return Duration.ofMillis((long) (wall.toMillis() * scale));
  }

  /** The study date of an object that is {@code age} old at the sped-up instant {@code at}. */
  static LocalDate studyDate(Instant at, Duration age) {
    return at.minus(age).atZone(ZONE).toLocalDate();
  }
}
