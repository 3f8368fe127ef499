package io.strata.bench.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The reconcile benchmark's {@code moved_share}: copies the balancer moved over all copies. */
class ReconcileBenchTest {
  @Test
  void theMovedShareIsOfEveryCopyOfEveryShard() {
    // 86,100 of 1,000,000 shards x 3 copies.
    assertThat(ReconcileBench.movedShare(86_100, 1_000_000, 3)).isCloseTo(0.0287, within(1e-12));
    assertThat(ReconcileBench.movedShare(0, 10, 3)).isZero();
  }
}
