package io.strata.bench.mover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Timings of one tool in one round.
 *
 * @param small the copy of the small objects
 * @param large the copy of the large objects
 * @param smallCheck for rclone, the {@code check --download} of the small objects after their copy
 *     (what proves them, as Strata's copy does by itself); null for Strata
 */
record Figures(BenchOptions options, Run small, Run large, Run smallCheck) {

  Figures(BenchOptions options, Run small, Run large) {
    this(options, small, large, null);
  }

  private static final double MB = 1_000_000.0;

  /** The run with the median small rate and the run with the median large rate. */
  static Figures median(List<Figures> rounds) {
    List<Figures> bySmall = new ArrayList<>(rounds);
    bySmall.sort(Comparator.comparingLong(f -> f.small().nanos()));
    List<Figures> byLarge = new ArrayList<>(rounds);
    byLarge.sort(Comparator.comparingLong(f -> f.large().nanos()));
    Figures first = rounds.get(0);
    Run smallCheck = null;
    if (first.smallCheck() != null) {
      List<Figures> byVerified = new ArrayList<>(rounds);
      byVerified.sort(Comparator.comparingLong(f -> f.smallVerified().nanos()));
      smallCheck = medianRun(byVerified.stream().map(Figures::smallCheck).toList());
    }
    return new Figures(
        first.options(),
        medianRun(bySmall.stream().map(Figures::small).toList()),
        medianRun(byLarge.stream().map(Figures::large).toList()),
        smallCheck);
  }

  /** The small objects copied and proven: the copy, and the check when there is one. */
  Run smallVerified() {
    return smallCheck == null
        ? small
        : new Run(small.nanos() + smallCheck.nanos(), small.cpu().plus(smallCheck.cpu()));
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
   * The benchmark's last line, comparing Strata's figures with rclone's ({@code null} when rclone
   * did not run).
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
