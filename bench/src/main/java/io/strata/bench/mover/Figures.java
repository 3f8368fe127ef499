package io.strata.bench.mover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Timings of one tool in one round. */
record Figures(BenchOptions options, Run small, Run large) {

  private static final double MB = 1_000_000.0;

  /** The run with the median small rate and the run with the median large rate. */
  static Figures median(List<Figures> rounds) {
    List<Figures> bySmall = new ArrayList<>(rounds);
    bySmall.sort(Comparator.comparingLong(f -> f.small().nanos()));
    List<Figures> byLarge = new ArrayList<>(rounds);
    byLarge.sort(Comparator.comparingLong(f -> f.large().nanos()));
    Figures first = rounds.get(0);
    return new Figures(
        first.options(),
        medianRun(bySmall.stream().map(Figures::small).toList()),
        medianRun(byLarge.stream().map(Figures::large).toList()));
  }

  private static Run medianRun(List<Run> sorted) {
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
        large.cpu());
  }

  /**
   * The benchmark's last line, comparing Strata's figures with rclone's ({@code null} when rclone
   * did not run).
   */
  static String lastLine(Figures strata, Figures rclone) {
    if (rclone == null) {
      return String.format(
          Locale.ROOT,
          "mover: small strata=%.1f rclone=n/a ratio=n/a large strata=%.1f rclone=n/a ratio=n/a",
          strata.smallObjectsPerSecond(),
          strata.largeMegabytesPerSecond());
    }
    return String.format(
        Locale.ROOT,
        "mover: small strata=%.1f rclone=%.1f ratio=%.2f large strata=%.1f rclone=%.1f ratio=%.2f",
        strata.smallObjectsPerSecond(),
        rclone.smallObjectsPerSecond(),
        strata.smallObjectsPerSecond() / rclone.smallObjectsPerSecond(),
        strata.largeMegabytesPerSecond(),
        rclone.largeMegabytesPerSecond(),
        strata.largeMegabytesPerSecond() / rclone.largeMegabytesPerSecond());
  }
}
