package io.strata.bench.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The mover benchmark's arithmetic: medians, the verified rate, CPU per object, the last line. */
class FiguresTest {
  private static final BenchOptions OPTIONS =
      BenchOptions.parse(new String[] {"--small", "1000", "--large", "2", "--large-mib", "100"});
  private static final long SECOND = 1_000_000_000L;

  private static CpuTime cpu(double self, double pools, double child) {
    return new CpuTime(
        (long) (self * SECOND), (long) (pools * SECOND), 0, 0, (long) (child * SECOND));
  }

  private static Run run(double seconds, CpuTime cpu) {
    return new Run((long) (seconds * SECOND), cpu);
  }

  @Test
  void theMedianOfThreeRoundsIsTheMiddleRunOfEachSet() {
    Figures a = new Figures(OPTIONS, run(4, cpu(1, 0, 0)), run(9, cpu(1, 0, 0)));
    Figures b = new Figures(OPTIONS, run(2, cpu(2, 0, 0)), run(7, cpu(2, 0, 0)));
    Figures c = new Figures(OPTIONS, run(3, cpu(3, 0, 0)), run(8, cpu(3, 0, 0)));

    Figures median = Figures.median(List.of(a, b, c));

    assertThat(median.small()).isEqualTo(c.small());
    assertThat(median.large()).isEqualTo(c.large());
    assertThat(median.smallObjectsPerSecond()).isEqualTo(1000 / 3.0);
    assertThat(median.largeMegabytesPerSecond()).isEqualTo(2 * 100 * 1048576 / 1e6 / 8);
  }

  @Test
  void theMedianOfTwoRoundsAveragesTheirTimesAndCpu() {
    Figures a = new Figures(OPTIONS, run(2, cpu(2, 1, 0)), run(4, cpu(4, 2, 0)));
    Figures b = new Figures(OPTIONS, run(4, cpu(4, 3, 0)), run(6, cpu(6, 2, 0)));

    Figures median = Figures.median(List.of(a, b));

    assertThat(median.small().nanos()).isEqualTo(3 * SECOND);
    assertThat(median.small().cpu().selfNanos()).isEqualTo(3 * SECOND);
    assertThat(median.small().cpu().poolNanos()).isEqualTo(2 * SECOND);
  }

  @Test
  void rclonesVerifiedRateCountsItsCopyAndItsCheck() {
    Figures rclone =
        new Figures(OPTIONS, run(4, cpu(3, 3, 2)), run(10, cpu(1, 1, 1)), run(1, cpu(1, 1, 0.5)));

    assertThat(rclone.smallVerified().nanos()).isEqualTo(5 * SECOND);
    assertThat(rclone.smallVerifiedPerSecond()).isEqualTo(200.0);
    assertThat(rclone.smallObjectsPerSecond()).isEqualTo(250.0);
  }

  @Test
  void theMedianVerifiedRateIsTheMedianRoundsCopyAndCheckTogether() {
    // Copy and check per round: 4 + 1 = 5 s, 2 + 5 = 7 s, 3 + 1.5 = 4.5 s. The median round for
    // the verified rate is the first (5 s), whatever the median copy alone (3 s) is.
    Figures a =
        new Figures(OPTIONS, run(4, cpu(1, 0, 1)), run(9, cpu(1, 0, 1)), run(1, cpu(1, 0, 1)));
    Figures b =
        new Figures(OPTIONS, run(2, cpu(1, 0, 1)), run(7, cpu(1, 0, 1)), run(5, cpu(1, 0, 1)));
    Figures c =
        new Figures(OPTIONS, run(3, cpu(1, 0, 1)), run(8, cpu(1, 0, 1)), run(1.5, cpu(1, 0, 1)));

    Figures median = Figures.median(List.of(a, b, c));

    assertThat(median.small()).isEqualTo(c.small());
    assertThat(median.smallVerified().nanos()).isEqualTo(5 * SECOND);
    assertThat(median.smallVerifiedPerSecond()).isEqualTo(200.0);
    assertThat(median.smallCheck()).as("the median check alone").isEqualTo(c.smallCheck());
  }

  @Test
  void theMedianVerifiedRateOfTwoRoundsAveragesTheirCopiesAndChecks() {
    Figures a =
        new Figures(OPTIONS, run(2, cpu(1, 0, 1)), run(9, cpu(1, 0, 1)), run(2, cpu(1, 0, 1)));
    Figures b =
        new Figures(OPTIONS, run(4, cpu(1, 0, 1)), run(7, cpu(1, 0, 1)), run(4, cpu(1, 0, 1)));

    // Verified 4 s and 8 s: 6 s, 1,000 objects at 166.7 a second.
    assertThat(Figures.median(List.of(a, b)).smallVerified().nanos()).isEqualTo(6 * SECOND);
  }

  @Test
  void describeGivesTimesRatesAndCpuOfEachSet() {
    Figures strata = new Figures(OPTIONS, run(4, cpu(5, 3, 0)), run(10, cpu(1, 1, 0)));
    Figures rclone =
        new Figures(OPTIONS, run(4, cpu(3, 3, 1.5)), run(10, cpu(1, 1, 1)), run(1, cpu(1, 1, 1)));

    // 1,000 x 512 KiB in 4 s: 250 objects/s, 131.1 MB/s; 2 x 100 MiB in 10 s: 21.0 MB/s.
    assertThat(strata.describe())
        .isEqualTo(
            "1000 x 512 KiB in 4.00 s = 250.0 objects/s (131.1 MB/s, cpu 5.0 s here (pools 3.0 s,"
                + " jit 0.0 s, gc 0.0 s)); 2 x 100 MiB in 10.00 s = 21.0 MB/s (cpu 1.0 s here"
                + " (pools 1.0 s, jit 0.0 s, gc 0.0 s))");
    assertThat(rclone.describe())
        .endsWith(
            "; check --download of the small in 1.00 s (cpu 1.0 s here (pools 1.0 s, jit 0.0 s,"
                + " gc 0.0 s) + 1.0 s rclone): copied and proven 200.0 objects/s");
  }

  @Test
  void eachToolsOwnCpuPerObjectLeavesThePoolsOut() {
    // Strata runs in the bench JVM: its own CPU is the JVM's less the pools' server threads.
    Figures strata = new Figures(OPTIONS, run(4, cpu(5, 3, 0)), run(10, cpu(1, 1, 0)));
    // rclone is a child process: its own CPU is the child's, whatever the pools in the JVM took.
    Figures rclone =
        new Figures(OPTIONS, run(4, cpu(3, 3, 1.5)), run(10, cpu(1, 1, 1)), run(1, cpu(1, 1, 1)));

    assertThat(strata.cpuPerSmallObjectMs()).isEqualTo(2.0);
    assertThat(rclone.cpuPerSmallObjectMs()).isEqualTo(1.5);
  }

  @Test
  void theLastLineComparesRatesAndCpu() {
    Figures strata = new Figures(OPTIONS, run(4, cpu(5, 3, 0)), run(10, cpu(1, 1, 0)));
    Figures rclone =
        new Figures(OPTIONS, run(2, cpu(3, 3, 1.5)), run(20, cpu(1, 1, 1)), run(2, cpu(1, 1, 1)));

    assertThat(Figures.lastLine(strata, rclone))
        .isEqualTo(
            "mover: small strata=250.0 rclone=500.0 ratio=0.50 verified_ratio=1.00"
                + " cpu_per_object_ms strata=2.00 rclone=1.50"
                + " large strata=21.0 rclone=10.5 ratio=2.00");
    assertThat(Figures.lastLine(strata, null))
        .startsWith("mover: small strata=250.0 rclone=n/a ratio=n/a verified_ratio=n/a");
  }

  @Test
  void theLastLineOfTheRoundsAddsTheSpreadOfEachRatio() {
    // Strata's small copies in 4, 5 and 2 s (250, 200, 500 objects/s), rclone's in 2, 2.5 and 4 s
    // (500, 400, 250): medians 250 and 400; worst pairing 200 / 500, best 500 / 250.
    // Large: Strata's in 10, 10, 10 s (21.0 MB/s), rclone's in 20, 10, 5 s: 0.50 to 2.00.
    // Verified: rclone's copies with their checks in 4, 4.5 and 6 s (250, 222, 167 objects/s),
    // against Strata's copies at 200 to 500: 200 / 250 = 0.80 to 500 / 167 = 3.00.
    // CPU per object: Strata's 2 ms in every round, rclone's 1.5 ms: 1.33 throughout.
    List<Figures> strata =
        List.of(
            new Figures(OPTIONS, run(4, cpu(5, 3, 0)), run(10, cpu(1, 1, 0))),
            new Figures(OPTIONS, run(5, cpu(5, 3, 0)), run(10, cpu(1, 1, 0))),
            new Figures(OPTIONS, run(2, cpu(5, 3, 0)), run(10, cpu(1, 1, 0))));
    List<Figures> rclone =
        List.of(
            new Figures(
                OPTIONS, run(2, cpu(3, 3, 1.5)), run(20, cpu(1, 1, 1)), run(2, cpu(1, 1, 1))),
            new Figures(
                OPTIONS, run(2.5, cpu(3, 3, 1.5)), run(10, cpu(1, 1, 1)), run(2, cpu(1, 1, 1))),
            new Figures(
                OPTIONS, run(4, cpu(3, 3, 1.5)), run(5, cpu(1, 1, 1)), run(2, cpu(1, 1, 1))));

    assertThat(Figures.lastLine(strata, rclone))
        .isEqualTo(
            Figures.lastLine(Figures.median(strata), Figures.median(rclone))
                + " rounds=3 small_ratio_min=0.40 small_ratio_max=2.00 verified_ratio_min=0.80"
                + " verified_ratio_max=3.00 large_ratio_min=0.50 large_ratio_max=2.00"
                + " cpu_ratio=1.33 cpu_ratio_min=1.33 cpu_ratio_max=1.33")
        .startsWith("mover: small strata=250.0 rclone=400.0 ratio=0.63");
    assertThat(Figures.lastLine(strata, List.of()))
        .endsWith(
            " rounds=3 small_ratio_min=n/a small_ratio_max=n/a verified_ratio_min=n/a"
                + " verified_ratio_max=n/a large_ratio_min=n/a large_ratio_max=n/a"
                + " cpu_ratio=n/a cpu_ratio_min=n/a cpu_ratio_max=n/a");
  }
}
