package io.strata.bench.mover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the mover bench's warm-up ends: once the JIT takes at most 2% of the JVM's CPU. */
class MoverBenchTest {
  private static final long MS = 1_000_000L;

  private static CpuTime jit(long selfMs, long jitMs) {
    return new CpuTime(selfMs * MS, 0, jitMs * MS, 0, 0);
  }

  @Test
  void theJitHasSettledAtTwoPercentOfTheJvmsCpuOrLess() {
    assertThat(MoverBench.jitSettled(jit(5000, 100))).as("2%").isTrue();
    assertThat(MoverBench.jitSettled(jit(5000, 0))).as("none").isTrue();
    assertThat(MoverBench.jitSettled(jit(5000, 101))).as("just over 2%").isFalse();
    assertThat(MoverBench.jitSettled(jit(5000, 700))).as("14%").isFalse();
  }

  @Test
  void anUnknownJitTimeIsNotSettled() {
    assertThat(MoverBench.jitSettled(new CpuTime(5000 * MS, 0, -1, -1, -1))).isFalse();
  }
}
