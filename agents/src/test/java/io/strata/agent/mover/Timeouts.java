package io.strata.agent.mover;

import io.strata.runtime.TestTimeouts;
import java.time.Duration;

/** Every wait in the tests scales from {@code strata.test.timeout.seconds} (default 60). */
final class Timeouts {

  private Timeouts() {}

  static Duration base() {
    return TestTimeouts.TIMEOUT;
  }
}
