package io.strata.bench.soak;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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

  /**
   * An age at {@code quietFrom}, for an object written at {@code writtenAt}, that puts no phase
   * boundary between {@code quietFrom} and {@code quietUntil} (two days of margin each side, since
   * a study date counts whole days), chosen so that many objects cross a boundary between their
   * writing and {@code quietFrom}: hot while recent (when written late enough), warm and cold, or
   * cold only, each with or without crossing on the way.
   */
  Duration ageAtQuiet(Random random, Instant writtenAt, Instant quietFrom, Instant quietUntil) {
    Duration margin = Duration.ofDays(2);
    Duration lived =
        writtenAt.isBefore(quietFrom)
            ? span(Duration.between(writtenAt, quietFrom))
            : Duration.ZERO;
    Duration quiet = span(Duration.between(quietFrom, quietUntil)).plus(margin);
    List<Duration[]> zones = new ArrayList<>();
    Duration hotUntil = HOT_ENDS.minus(quiet);
    if (lived.compareTo(hotUntil) < 0) {
      zones.add(new Duration[] {lived, hotUntil});
    }
    Duration warmFrom = max(lived, HOT_ENDS.plus(margin));
    Duration warmUntil = COLD_ONLY_FROM.minus(quiet);
    // Crossing 90 days on the way: less than `lived` past the boundary at quietFrom.
    if (lived.compareTo(margin.multipliedBy(2)) > 0) {
      zones.add(new Duration[] {HOT_ENDS.plus(margin), min(HOT_ENDS.plus(lived), warmUntil)});
    }
    zones.add(new Duration[] {warmFrom, warmUntil});
    Duration coldFrom = max(lived, COLD_ONLY_FROM.plus(margin));
    if (lived.compareTo(margin.multipliedBy(2)) > 0) {
      zones.add(new Duration[] {COLD_ONLY_FROM.plus(margin), COLD_ONLY_FROM.plus(lived)});
    }
    zones.add(new Duration[] {coldFrom, Duration.ofDays(8 * 365)});
    Duration[] zone = zones.get(random.nextInt(zones.size()));
    long from = zone[0].toMinutes();
    long to = Math.max(from + 1, zone[1].toMinutes());
    return Duration.ofMinutes(from + (long) (random.nextDouble() * (to - from)));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
