package io.strata.agent.mover;

import io.strata.agent.TaskRunner;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup most of the mover's ITs share: pools {@code a} and {@code b} on S3Proxy, fresh for each
 * test, and a runner that reaches both, closed after it.
 */
abstract class TwoPools {

  @TempDir Path dir;
  Pools pools;
  TaskRunner runner;
  LocalS3Pool a;
  LocalS3Pool b;

  @BeforeEach
  void startPools() throws Exception {
    pools = new Pools(dir, "a", "b");
    a = pools.get("a");
    b = pools.get("b");
    runner = pools.runner(Clock.systemUTC());
  }

  @AfterEach
  void stopPools() throws Exception {
    runner.close();
    pools.close();
  }
}
