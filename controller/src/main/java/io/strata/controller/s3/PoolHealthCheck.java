package io.strata.controller.s3;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.annotation.Async;
import io.strata.topology.Pool;

/**
 * Healthy while the controller can list the buckets of one pool. An unreachable pool, or one whose
 * credentials cannot be read, is reported unhealthy with the reason; it never stops the controller.
 *
 * <p>Checked every {@value #PERIOD_SECONDS} s in the background, not at each call of {@code
 * /healthcheck}: with thousands of pools a call would otherwise wait for thousands of requests.
 * Readiness does not depend on it ({@link ReadinessServlet}).
 */
@Async(period = PoolHealthCheck.PERIOD_SECONDS, scheduleType = Async.ScheduleType.FIXED_DELAY)
public class PoolHealthCheck extends HealthCheck {
  /** Seconds between two checks of one pool. */
  public static final long PERIOD_SECONDS = 15;

  private final Pool pool;
  private final S3ClientFactory clients;

  public PoolHealthCheck(Pool pool, S3ClientFactory clients) {
    this.pool = pool;
    this.clients = clients;
  }

  @Override
  protected Result check() {
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
