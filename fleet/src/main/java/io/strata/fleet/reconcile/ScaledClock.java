package io.strata.fleet.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A clock that runs {@code scale} times faster than its base from an origin: the demo ages its
 * objects a day per second so that tier transitions happen while one watches. Scale 1 is the base
 * clock itself.
 */
public final class ScaledClock extends Clock {
  private final Clock base;
  private final Instant origin;
  private final double scale;

  public ScaledClock(Clock base, Instant origin, double scale) {
    this.base = base;
    this.origin = origin;
    this.scale = scale;
  }

  /**
   * Whether the clock runs faster than real time: its instants are then no dates a pool or an agent
   * can hold data until ({@code strata-retain-until} is compared with their real clocks).
   */
  public boolean faster() {
    return scale != 1;
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new ScaledClock(base.withZone(zone), origin, scale);
  }

  @Override
  public Instant instant() {
    Instant now = base.instant();
    if (scale == 1) {
      return now;
    }
    double elapsedMillis = (now.toEpochMilli() - origin.toEpochMilli()) * scale;
    return origin.plusMillis((long) elapsedMillis);
  }
}
