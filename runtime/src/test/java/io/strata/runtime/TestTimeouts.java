package io.strata.runtime;

import java.time.Duration;

/** Every wait in the tests of every module scales from this one setting. */
public final class TestTimeouts {
  /** {@code strata.test.timeout.seconds} (default 60), set by the build for every test. */
  public static final Duration TIMEOUT =
      Duration.ofSeconds(Long.getLong("strata.test.timeout.seconds", 60));

  private TestTimeouts() {}
}
