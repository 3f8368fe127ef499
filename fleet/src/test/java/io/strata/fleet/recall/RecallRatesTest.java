package io.strata.fleet.recall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RecallRatesTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theEtaIsTheRemainingBytesAtTheRateTheyCameBackAt() {
    RecallRates rates = new RecallRates();
    RecallProgress start = new RecallProgress(10, 1000, 0, 0);
    rates.sample(Map.of("r", start), 0);
    assertThat(rates.etaSeconds("r", start)).as("no rate measured yet").isNull();

    RecallProgress later = new RecallProgress(10, 1000, 2, 200);
    rates.sample(Map.of("r", later), 2 * SECOND);
    // 200 bytes in 2 s: 800 left at 100 bytes/s.
    assertThat(rates.etaSeconds("r", later)).isEqualTo(8);

    RecallProgress done = new RecallProgress(10, 1000, 10, 1000);
    assertThat(rates.etaSeconds("r", done)).isZero();
  }

  @Test
  void aRecallNoLongerPlannedIsForgotten() {
    RecallRates rates = new RecallRates();
    rates.sample(Map.of("r", new RecallProgress(1, 100, 0, 0)), 0);
    rates.sample(Map.of("r", new RecallProgress(1, 100, 0, 50)), SECOND);
    rates.sample(Map.of(), 2 * SECOND);
    assertThat(rates.etaSeconds("r", new RecallProgress(1, 100, 0, 50))).isNull();
  }
}
