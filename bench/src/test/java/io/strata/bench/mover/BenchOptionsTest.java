package io.strata.bench.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.bench.BenchArgs;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsAreTheIssuesBenchmark() {
    BenchOptions options = BenchOptions.parse(new String[0]);

    assertThat(options)
        .isEqualTo(
            new BenchOptions(2000, 512, 8, 256, 16, 16, true, BenchOptions.UNTIL_SETTLED, 3, 0));
  }

  @Test
  void warmupIsAutoOrACount() {
    assertThat(BenchOptions.parse(new String[] {"--warmup", "auto"}).warmup())
        .isEqualTo(BenchOptions.UNTIL_SETTLED);
    assertThat(BenchOptions.parse(new String[] {"--warmup", "0"}).warmup()).isZero();
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--warmup", "soon"}))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessage("--warmup takes a whole number, got 'soon'");
  }

  @Test
  void refusesAPartSizeTheMoverCannotUse() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--part-mib", "4"}))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessage("--part-mib must be at least 5, got 4");
  }

  @Test
  void switchesOffRclone() {
    assertThat(BenchOptions.parse(new String[] {"--no-rclone", "--rounds", "5"}))
        .extracting(BenchOptions::rclone, BenchOptions::rounds)
        .containsExactly(false, 5);
  }
}
