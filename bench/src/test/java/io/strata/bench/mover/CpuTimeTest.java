package io.strata.bench.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CPU accounting every mover run prints and {@code cpu_per_object_ms} is taken from: {@code
 * /proc} stat lines, the difference of two snapshots, the sum and half of two runs' times.
 */
class CpuTimeTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;

  /** A {@code /proc/<pid>/stat} line up to cstime: utime 250, stime 30, cutime 7, cstime 3. */
  private static final String STAT =
      "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 100 0 0 0 250 30 7 3 20 0 40 0";

  @Test
  void aThreadsTicksAreItsUserAndSystemTime() {
    assertThat(CpuTime.ticks(STAT, 11)).isEqualTo(280);
  }

  @Test
  void theChildrensTicksAreTheirUserAndSystemTime() {
    assertThat(CpuTime.childTicks(STAT)).isEqualTo(10);
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String stat = "17 (rclone (copy) x) R 1 17 17 0 -1 0 0 0 0 0 12 8 100 50 20 0";

    assertThat(CpuTime.ticks(stat, 11)).isEqualTo(20);
    assertThat(CpuTime.childTicks(stat)).isEqualTo(150);
  }

  @Test
  void jvmThreadsAreToldByTheirProcNames() {
    // /proc truncates thread names to 15 characters.
    assertThat(CpuTime.isJit("C2 CompilerThre")).isTrue();
    assertThat(CpuTime.isJit("C1 CompilerThre")).isTrue();
    assertThat(CpuTime.isGc("GC Thread#0")).isTrue();
    assertThat(CpuTime.isGc("G1 Conc#0")).isTrue();
    assertThat(CpuTime.isGc("G1 Refine#0")).isTrue();
    for (String other : new String[] {"S3Proxy-Jetty-1", "main", "OkHttp Dispatch", "VM Thread"}) {
      assertThat(CpuTime.isJit(other)).as(other).isFalse();
      assertThat(CpuTime.isGc(other)).as(other).isFalse();
    }
  }

  @Test
  void aSnapshotsDifferenceCountsPoolThreadsFromTheirStartAndTicksAsTenMilliseconds() {
    CpuTime.Snapshot before =
        new CpuTime.Snapshot(SECOND, Map.of(1L, 100 * MS, 2L, 200 * MS), 10, 5, 0);
    // Thread 2 ended (its last slice is lost), thread 3 started.
    CpuTime.Snapshot after =
        new CpuTime.Snapshot(3 * SECOND, Map.of(1L, 400 * MS, 3L, 100 * MS), 30, 5, 150);

    CpuTime spent = after.since(before);

    assertThat(spent).isEqualTo(new CpuTime(2 * SECOND, 400 * MS, 200 * MS, 0, 1500 * MS));
  }

  @Test
  void anUnknownCounterStaysUnknown() {
    CpuTime.Snapshot before = new CpuTime.Snapshot(0, Map.of(), -1, -1, -1);
    CpuTime.Snapshot after = new CpuTime.Snapshot(SECOND, Map.of(), 3, 4, 5);

    CpuTime spent = after.since(before);

    assertThat(spent).isEqualTo(new CpuTime(SECOND, 0, -1, -1, -1));
  }

  @Test
  void twoRunsAddAndHalveWithUnknownsKeptUnknown() {
    CpuTime a = new CpuTime(4 * SECOND, 2 * SECOND, 300 * MS, 100 * MS, -1);
    CpuTime b = new CpuTime(2 * SECOND, SECOND, 100 * MS, 100 * MS, 800 * MS);

    assertThat(a.plus(b)).isEqualTo(new CpuTime(6 * SECOND, 3 * SECOND, 400 * MS, 200 * MS, -1));
    assertThat(a.plus(b).half())
        .isEqualTo(new CpuTime(3 * SECOND, 1500 * MS, 200 * MS, 100 * MS, -1));
  }

  @Test
  void printsTheJvmsShareAndRclonesOwnWhenKnown() {
    assertThat(new CpuTime(2 * SECOND, 400 * MS, 200 * MS, 0, 1500 * MS))
        .hasToString("2.0 s here (pools 0.4 s, jit 0.2 s, gc 0.0 s) + 1.5 s rclone");
    assertThat(new CpuTime(2 * SECOND, 400 * MS, -1, -1, -1))
        .hasToString("2.0 s here (pools 0.4 s)");
    assertThat(new CpuTime(2 * SECOND, 400 * MS, 200 * MS, 100 * MS, 0))
        .hasToString("2.0 s here (pools 0.4 s, jit 0.2 s, gc 0.1 s)");
  }
}
