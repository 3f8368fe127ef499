package io.strata.controller.s3;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.annotation.Async;
import io.strata.topology.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Healthy while the controller can list the buckets of one pool. An unreachable pool, or one whose
 * credentials cannot be read, is reported unhealthy with the reason; it never stops the controller.
 *
 * <p>Checked in the background, not at each call of {@code /healthcheck}: with thousands of pools a
 * call would otherwise wait for thousands of requests. Every replica checks every pool, so the
 * interval grows with the fleet ({@link #interval}): every {@value #PERIOD_SECONDS} s up to 300
 * pools, then so that a replica sends at most {@value #CHECKS_PER_SECOND} listings a second, every
 * 8 minutes at 10,000 pools. What drives repairs is not this check but the agents' reports of their
 * pools, every heartbeat. The first check of each pool comes at once; the next at a random point of
 * its first interval, so that the checks do not all fall in the same second. Readiness does not
 * depend on it ({@link ReadinessServlet}).
 */
@Async(period = PoolHealthCheck.PERIOD_SECONDS, scheduleType = Async.ScheduleType.FIXED_DELAY)
public class PoolHealthCheck extends HealthCheck {
  /** Seconds between two looks at whether one pool is due; its shortest interval. */
  public static final long PERIOD_SECONDS = 15;

  /** The most pool listings a second one replica's checks send, once the fleet is large. */
  static final int CHECKS_PER_SECOND = 20;

  private final Pool pool;
  private final S3ClientFactory clients;
  private final Duration every;
  private final Clock clock;
  private Result last;
  private Instant nextAt = Instant.MIN;

  /**
   * @param every how often to check it; {@link #interval} of the fleet's pool count
   */
  public PoolHealthCheck(Pool pool, S3ClientFactory clients, Duration every, Clock clock) {
    this.pool = pool;
    this.clients = clients;
    this.every = every;
    this.clock = clock;
  }

  /** How often each of {@code pools} pools is checked. */
  public static Duration interval(int pools) {
    return Duration.ofSeconds(
        Math.max(PERIOD_SECONDS, (pools + CHECKS_PER_SECOND - 1) / CHECKS_PER_SECOND));
  }

  @Override
  protected synchronized Result check() {
    Instant now = clock.instant();
    if (last != null && now.isBefore(nextAt)) {
      return last;
    }
    double share = last == null ? ThreadLocalRandom.current().nextDouble(0.5, 1.0) : 1.0;
    nextAt = now.plusMillis((long) (every.toMillis() * share));
    last = listBuckets();
    return last;
  }

  private Result listBuckets() {
    try {
      int buckets = clients.client(pool).listBuckets().size();
      return Result.healthy("%s reachable, %d buckets", pool.endpoint(), buckets);
    } catch (IllegalArgumentException e) {
      return Result.unhealthy(e.getMessage());
    } catch (Exception e) {
      return Result.unhealthy(
          "%s unreachable: %s",
          pool.endpoint(), e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
