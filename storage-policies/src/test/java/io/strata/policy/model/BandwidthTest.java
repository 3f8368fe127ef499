package io.strata.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BandwidthTest {
  @Test
  void decimalAndBinaryRatesParse() {
    assertThat(Bandwidth.parse("500MB/s").bytesPerSecond()).isEqualTo(500_000_000L);
    assertThat(Bandwidth.parse("1 GiB / s").bytesPerSecond()).isEqualTo(1L << 30);
    assertThat(Bandwidth.parse("500MB/s")).hasToString("500 MB/s");
    assertThat(Bandwidth.parse("1GiB/s")).hasToString("1 GiB/s");
  }

  @Test
  void ratesWithoutPerSecondOrOfZeroAreRefused() {
    for (String text : new String[] {"500MB", "0MB/s", "fast/s", "500MB/h"}) {
      assertThatThrownBy(() -> Bandwidth.parse(text))
          .hasMessage(
              "'"
                  + text
                  + "' is not a bandwidth; write a size per second, e.g. 500MB/s, 1GiB/s or"
                  + " 200MiB/s");
    }
  }
}
