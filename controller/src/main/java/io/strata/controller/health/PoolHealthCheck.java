package io.strata.controller.health;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.annotation.Async;
import io.minio.MinioClient;
import io.strata.agent.pool.CensusClients;
import io.strata.agent.pool.PoolCredentials;
import io.strata.topology.Pool;
import java.nio.file.Path;

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
  private final Path credentialsDir;
  private volatile MinioClient client;

  public PoolHealthCheck(Pool pool, Path credentialsDir) {
    this.pool = pool;
    this.credentialsDir = credentialsDir;
  }

  @Override
  protected Result check() {
    try {
      if (client == null) {
        client =
            CensusClients.client(
                pool.endpoint(),
                PoolCredentials.resolve(pool.credentialsRef(), credentialsDir, System.getenv()));
      }
      int buckets = client.listBuckets().size();
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
