package io.strata.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The measured runs of one figure: its median, the spread of the runs and how many there were. A
 * benchmark that compares Strata with a peer measures both the same number of times and reports
 * both the same way.
 */
public final class Samples {
  private final double[] sorted;

  private Samples(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no runs measured");
    }
    this.sorted = values.clone();
    Arrays.sort(this.sorted);
  }

  public static Samples of(double... values) {
    return new Samples(values);
  }

  /** The middle run; with an even number of runs, the mean of the two middle ones. */
  public double median() {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  public double min() {
    return sorted[0];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  public int runs() {
    return sorted.length;
  }

  /**
   * The ratio of this figure to {@code other}'s, both rates (more is better): the ratio of the
   * medians, and the least and most it can be from any run of each, {@code [min/other.max,
   * max/other.min]}.
   */
  public double[] ratioTo(Samples other) {
    return new double[] {median() / other.median(), min() / other.max(), max() / other.min()};
  }

  /** {@code median (min-max, n runs)} with {@code format} for each number. */
  public String describe(String format) {
    return String.format(
        Locale.ROOT,
        format + " (" + format + "-" + format + ", %d runs)",
        median(),
        min(),
        max(),
        runs());
  }
}
