package io.strata.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code hb_p99_ms}: the 99th percentile of the heartbeats' round trips, by nearest rank. */
class AgentDriverTest {
  private static final long MS = 1_000_000L;

  /** Round trips of 1, 2, ... {@code n} ms, shuffled, in an array {@code spare} entries longer. */
  private static long[] millis(int n, int spare) {
    List<Long> values = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      values.add(i * MS);
    }
    Collections.shuffle(values, new Random(7));
    long[] out = new long[n + spare];
    for (int i = 0; i < n; i++) {
      out[i] = values.get(i);
    }
    for (int i = n; i < out.length; i++) {
      out[i] = 1_000_000 * MS; // not recorded: beyond the count
    }
    return out;
  }

  @Test
  void waitsForWorkTakeTwoDescriptorsEachOfWhatTheRestLeaves() {
    assertThat(AgentDriver.maxWaits(20_000)).isEqualTo(6_000);
    assertThat(AgentDriver.maxWaits(65_536)).isEqualTo(28_768);
    assertThat(AgentDriver.maxWaits(1_024)).as("too few descriptors for any").isZero();
  }

  @Test
  void ofAHundredRoundTripsTheP99IsTheNinetyNinthSlowest() {
    assertThat(AgentDriver.p99Millis(millis(100, 0), 100)).isEqualTo(99.0);
  }

  @Test
  void ofAThousandItIsTheNineHundredNinetiethAndTheTenSlowestAreLeftOut() {
    assertThat(AgentDriver.p99Millis(millis(1000, 0), 1000)).isEqualTo(990.0);
  }

  @Test
  void ofFewerThanAHundredItIsTheSlowest() {
    assertThat(AgentDriver.p99Millis(millis(50, 0), 50)).isEqualTo(50.0);
    assertThat(AgentDriver.p99Millis(millis(1, 0), 1)).isEqualTo(1.0);
  }

  @Test
  void onlyTheRecordedRoundTripsCount() {
    assertThat(AgentDriver.p99Millis(millis(100, 60), 100)).isEqualTo(99.0);
  }

  @Test
  void noRoundTripsGiveNoFigure() {
    assertThat(AgentDriver.p99Millis(new long[8], 0)).isNaN();
  }
}
