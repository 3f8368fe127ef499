package io.strata.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoundStatusTest {
  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void aFailedRoundIsCountedAndNamedWithItsErrorUntilTheNextFailure() {
    RoundStatus status = new RoundStatus();
    status.started("r1", T0);
    status.succeeded();
    status.started("r2", T0.plusSeconds(5));
    status.failed("r2", T0.plusSeconds(6), new IOException("zookeeper lost"));

    RoundStatus.View view = status.view();
    assertThat(status.failures()).isEqualTo(1);
    assertThat(view.lastRound()).isEqualTo("r2");
    assertThat(view.lastSuccessAt()).isEqualTo(T0);
    assertThat(view.lastFailedRound()).isEqualTo("r2");
    assertThat(view.lastFailureAt()).isEqualTo(T0.plusSeconds(6));
    assertThat(view.lastError()).isEqualTo("java.io.IOException: zookeeper lost");
  }

  @Test
  void aLaterSuccessKeepsTheLastFailureOnRecordAndMovesTheLastSuccess() {
    RoundStatus status = new RoundStatus();
    status.started("r1", T0);
    status.failed("r1", T0, new IllegalStateException("bad map"));
    status.started("r2", T0.plusSeconds(5));
    status.succeeded();

    RoundStatus.View view = status.view();
    assertThat(status.failures()).isEqualTo(1);
    assertThat(view.lastSuccessAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(view.lastFailedRound()).isEqualTo("r1");
    assertThat(view.lastError()).contains("bad map");
  }
}
