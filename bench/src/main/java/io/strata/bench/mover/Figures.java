package io.strata.bench.mover;

import io.strata.bench.Samples;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Timings of one tool in one round, or the medians of several.
 *
 * @param small the copy of the small objects
 * @param large the copy of the large objects
 * @param smallCheck for rclone, the {@code check --download} of the small objects after their copy
 *     (what proves them, as Strata's copy does by itself); null for Strata
 * @param smallVerified the small objects copied and proven: the copy, and the check when there is
 *     one. Of a round, the two together; of the medians, the median of the rounds' sums, which the
 *     median copy and the median check need not add up to.
 */
record Figures(BenchOptions options, Run small, Run large, Run smallCheck, Run smallVerified) {

  Figures(BenchOptions options, Run small, Run large) {
    this(options, small, large, null, small);
  }

  Figures(BenchOptions options, Run small, Run large, Run smallCheck) {
    this(
        options,
        small,
        large,
        smallCheck,
        new Run(small.nanos() + smallCheck.nanos(), small.cpu().plus(smallCheck.cpu())));
  }

  private static final double MB = 1_000_000.0;

  /**
   * The medians of {@code rounds}, each of its own runs: the small copy, the large copy, the check
   * and the small copy with its check.
   */
  static Figures median(List<Figures> rounds) {
    Figures first = rounds.get(0);
    Run small = medianRun(rounds, Figures::small);
    return new Figures(
        first.options(),
        small,
        medianRun(rounds, Figures::large),
        first.smallCheck() == null ? null : medianRun(rounds, Figures::smallCheck),
        first.smallCheck() == null ? small : medianRun(rounds, Figures::smallVerified));
  }

  double smallVerifiedPerSecond() {
    return options.small() / (smallVerified().nanos() / 1e9);
  }

  /**
   * The tool's own CPU per small object copied, in milliseconds: this JVM's less the pools' for
   * Strata (which runs in it), the child process's for rclone.
   */
  double cpuPerSmallObjectMs() {
    CpuTime cpu = small.cpu();
    long own = smallCheck == null ? cpu.selfNanos() - cpu.poolNanos() : cpu.childNanos();
    return own / 1e6 / options.small();
  }

  /** The run of median time among each round's {@code run}; of an even number, the mean two. */
  private static Run medianRun(List<Figures> rounds, Function<Figures, Run> run) {
    List<Run> sorted = new ArrayList<>(rounds.stream().map(run).toList());
    sorted.sort(Comparator.comparingLong(Run::nanos));
    int n = sorted.size();
    if (n % 2 == 1) {
      return sorted.get(n / 2);
    }
    Run a = sorted.get(n / 2 - 1);
    Run b = sorted.get(n / 2);
    return new Run((a.nanos() + b.nanos()) / 2, a.cpu().plus(b.cpu()).half());
  }

  double smallObjectsPerSecond() {
    return options.small() / (small.nanos() / 1e9);
  }

  double largeMegabytesPerSecond() {
    return options.large() * options.largeBytes() / MB / (large.nanos() / 1e9);
  }

  String describe() {
    String check =
        smallCheck == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; check --download of the small in %.2f s (cpu %s): copied and proven %.1f"
                    + " objects/s",
                smallCheck.nanos() / 1e9,
                smallCheck.cpu(),
                smallVerifiedPerSecond());
    return String.format(
            Locale.ROOT,
            "%d x %d KiB in %.2f s = %.1f objects/s (%.1f MB/s, cpu %s);"
                + " %d x %d MiB in %.2f s = %.1f MB/s (cpu %s)",
            options.small(),
            options.smallKib(),
            small.nanos() / 1e9,
            smallObjectsPerSecond(),
            smallObjectsPerSecond() * options.smallBytes() / MB,
            small.cpu(),
            options.large(),
            options.largeMib(),
            large.nanos() / 1e9,
            largeMegabytesPerSecond(),
            large.cpu())
        + check;
  }

  /**
   * The benchmark's last line from the measured rounds of each tool ({@code rcloneRounds} empty
   * when rclone did not run): the medians compared ({@link #lastLine(Figures, Figures)}), then the
   * number of rounds and the spread of each ratio, which pairs Strata's slowest round with rclone's
   * fastest and the reverse ({@link Samples#ratioTo}); last, Strata's CPU per small object over
   * rclone's, of the medians and the spread alike.
   */
  static String lastLine(List<Figures> strataRounds, List<Figures> rcloneRounds) {
    Figures strata = median(strataRounds);
    Figures rclone = rcloneRounds.isEmpty() ? null : median(rcloneRounds);
    String[] small = {"n/a", "n/a"};
    String[] verified = {"n/a", "n/a"};
    String[] large = {"n/a", "n/a"};
    String[] cpu = {"n/a", "n/a", "n/a"};
    if (rclone != null) {
      small = spread(strataRounds, rcloneRounds, Figures::smallObjectsPerSecond);
      verified =
          spread(
              strataRounds,
              Figures::smallObjectsPerSecond,
              rcloneRounds,
              Figures::smallVerifiedPerSecond);
      large = spread(strataRounds, rcloneRounds, Figures::largeMegabytesPerSecond);
      // Strata's CPU per object over rclone's: the goal is at most 1.3.
      double[] ratio =
          rates(strataRounds, Figures::cpuPerSmallObjectMs)
              .ratioTo(rates(rcloneRounds, Figures::cpuPerSmallObjectMs));
      cpu =
          new String[] {
            String.format(Locale.ROOT, "%.2f", ratio[0]),
            String.format(Locale.ROOT, "%.2f", ratio[1]),
            String.format(Locale.ROOT, "%.2f", ratio[2])
          };
    }
    return lastLine(strata, rclone)
        + String.format(
            Locale.ROOT,
            " rounds=%d small_ratio_min=%s small_ratio_max=%s verified_ratio_min=%s"
                + " verified_ratio_max=%s large_ratio_min=%s large_ratio_max=%s"
                + " cpu_ratio=%s cpu_ratio_min=%s cpu_ratio_max=%s",
            strataRounds.size(),
            small[0],
            small[1],
            verified[0],
            verified[1],
            large[0],
            large[1],
            cpu[0],
            cpu[1],
            cpu[2]);
  }

  private static String[] spread(
      List<Figures> strata, List<Figures> rclone, ToDoubleFunction<Figures> rate) {
    return spread(strata, rate, rclone, rate);
  }

  /**
   * The least and most ratio of {@code strataRate} to {@code rcloneRate} over the rounds: Strata's
   * lowest over rclone's highest, and the reverse.
   */
  private static String[] spread(
      List<Figures> strata,
      ToDoubleFunction<Figures> strataRate,
      List<Figures> rclone,
      ToDoubleFunction<Figures> rcloneRate) {
    double[] ratio = rates(strata, strataRate).ratioTo(rates(rclone, rcloneRate));
    return new String[] {
      String.format(Locale.ROOT, "%.2f", ratio[1]), String.format(Locale.ROOT, "%.2f", ratio[2])
    };
  }

  private static Samples rates(List<Figures> rounds, ToDoubleFunction<Figures> rate) {
    return Samples.of(rounds.stream().mapToDouble(rate).toArray());
  }

  /**
   * The medians' part of the last line, comparing Strata's figures with rclone's ({@code null} when
   * rclone did not run).
   */
  static String lastLine(Figures strata, Figures rclone) {
    if (rclone == null) {
      return String.format(
          Locale.ROOT,
          "mover: small strata=%.1f rclone=n/a ratio=n/a verified_ratio=n/a"
              + " cpu_per_object_ms strata=%.2f rclone=n/a"
              + " large strata=%.1f rclone=n/a ratio=n/a",
          strata.smallObjectsPerSecond(),
          strata.cpuPerSmallObjectMs(),
          strata.largeMegabytesPerSecond());
    }
    return String.format(
        Locale.ROOT,
        "mover: small strata=%.1f rclone=%.1f ratio=%.2f verified_ratio=%.2f"
            + " cpu_per_object_ms strata=%.2f rclone=%.2f"
            + " large strata=%.1f rclone=%.1f ratio=%.2f",
        strata.smallObjectsPerSecond(),
        rclone.smallObjectsPerSecond(),
        strata.smallObjectsPerSecond() / rclone.smallObjectsPerSecond(),
        strata.smallObjectsPerSecond() / rclone.smallVerifiedPerSecond(),
        strata.cpuPerSmallObjectMs(),
        rclone.cpuPerSmallObjectMs(),
        strata.largeMegabytesPerSecond(),
        rclone.largeMegabytesPerSecond(),
        strata.largeMegabytesPerSecond() / rclone.largeMegabytesPerSecond());
  }
}
