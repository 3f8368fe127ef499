package io.strata.fleet.capacity;

import io.strata.policy.model.Phase;
import io.strata.policy.model.PolicyDuration;
import io.strata.policy.model.StoragePolicy;
import io.strata.topology.placement.TierCopies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a policy's phases turn a dataset's intake into bytes on each tier: data written on day {@code
 * t} is {@code d − t} days old on day {@code d}, and holds, on each tier, the copies of the phase
 * that age falls in, until its expiry. Pure and immutable.
 *
 * <p>Ages are whole days: a phase's start and the expiry are their average length rounded to the
 * nearest day ({@code 90d} is 90, {@code 5y} is 1,826, {@code 36h} is 2), which is what a
 * day-by-day projection can resolve. Data written on day {@code t} counts on that day at age 0.
 *
 * <p>The projection is exact for the intake given: the bytes on tier {@code T} on day {@code d} are
 * {@code Σ_k copies_k(T) · (S(d − start_k) − S(d − end_k))}, where {@code S(x)} is the intake from
 * the first day through day {@code x} and phase {@code k} covers the ages {@code [start_k, end_k)},
 * the last ending at the expiry (or never). With prefix sums that is a few additions per phase and
 * day, whatever the horizon.
 *
 * @param starts each phase's first age in days, ascending, the first 0
 * @param copies each phase's copies per tier
 * @param expiryDays the age at which data is deleted; {@link Integer#MAX_VALUE} for never
 */
public record PhaseFlow(int[] starts, List<Map<String, Integer>> copies, int expiryDays) {
  public PhaseFlow {
    starts = starts.clone();
    copies = copies.stream().map(Map::copyOf).toList();
    if (starts.length == 0 || starts[0] != 0 || starts.length != copies.size()) {
      throw new IllegalArgumentException("a phase flow needs one copy count per phase, from age 0");
    }
    for (int k = 1; k < starts.length; k++) {
      if (starts[k] <= starts[k - 1]) {
        throw new IllegalArgumentException(
            "phase ages must ascend by at least a day: " + starts[k - 1] + " then " + starts[k]);
      }
    }
    if (expiryDays <= 0) {
      throw new IllegalArgumentException("expiry must be after day 0, got " + expiryDays);
    }
  }

  /** The flow of a policy's phases and expiry. */
  public static PhaseFlow of(StoragePolicy policy) {
    List<Integer> starts = new ArrayList<>();
    List<Map<String, Integer>> copies = new ArrayList<>();
    for (Phase phase : policy.phases()) {
      int start = days(phase.after());
      Map<String, Integer> byTier = new LinkedHashMap<>();
      for (TierCopies c : phase.rule().copies()) {
        byTier.put(c.tier(), c.count());
      }
      if (!starts.isEmpty() && start <= starts.get(starts.size() - 1)) {
        // Two phases within a day of each other: the later one holds from that day.
        copies.set(copies.size() - 1, byTier);
        continue;
      }
      starts.add(start);
      copies.add(byTier);
    }
    int expiry = policy.expiry() == null ? Integer.MAX_VALUE : Math.max(1, days(policy.expiry()));
    return new PhaseFlow(starts.stream().mapToInt(Integer::intValue).toArray(), copies, expiry);
  }

  /** A policy duration in whole days, rounded to the nearest. */
  public static int days(PolicyDuration d) {
    return (int) Math.min(Integer.MAX_VALUE - 1L, Math.round(d.averageHours() / 24));
  }

  /** Every tier some phase puts a copy on, sorted. */
  public Set<String> tiers() {
    Set<String> out = new TreeSet<>();
    copies.forEach(c -> out.addAll(c.keySet()));
    return out;
  }

  /** Copies on {@code tier} of data {@code age} days old; 0 once expired or before age 0. */
  public int copies(String tier, int age) {
    if (age < 0 || age >= expiryDays) {
      return 0;
    }
    int k = starts.length - 1;
    while (starts[k] > age) {
      k--;
    }
    return copies.get(k).getOrDefault(tier, 0);
  }

  /** The ages {@code [start, end)} of phase {@code k}, its end clipped at the expiry. */
  int end(int k) {
    int next = k + 1 < starts.length ? starts[k + 1] : Integer.MAX_VALUE;
    return Math.min(next, expiryDays);
  }

  /**
   * Bytes on {@code tier} on each day {@code 0..days-1}, from {@code intake[t]} written on day
   * {@code t} (days past the array's end write nothing).
   */
  public double[] project(String tier, double[] intake, int days) {
    double[] prefix = prefix(intake, days);
    double[] out = new double[days];
    for (int d = 0; d < days; d++) {
      out[d] = weighted(tier, prefix, d, 1);
    }
    return out;
  }

  /** {@code prefix[x + 1]} = the intake of days {@code 0..x}; {@code prefix[0]} = 0. */
  static double[] prefix(double[] intake, int days) {
    double[] prefix = new double[days + 1];
    for (int t = 0; t < days; t++) {
      prefix[t + 1] = prefix[t] + (t < intake.length ? intake[t] : 0);
    }
    return prefix;
  }

  /**
   * {@code Σ_k copies_k(tier)^power · (S(d − start_k) − S(d − end_k))} over the prefix sums given:
   * with power 1 the bytes on the tier on day {@code d}; with power 2 and a prefix of ones the sum
   * of squared weights an interval needs.
   */
  double weighted(String tier, double[] prefix, int d, int power) {
    return weighted(copiesOn(tier), prefix, d, power);
  }

  /** Each phase's copies on {@code tier}, in phase order: for {@link #weighted} day after day. */
  int[] copiesOn(String tier) {
    int[] out = new int[starts.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = copies.get(k).getOrDefault(tier, 0);
    }
    return out;
  }

  /** As {@link #weighted(String, double[], int, int)}, with the tier's {@link #copiesOn}. */
  double weighted(int[] copiesOn, double[] prefix, int d, int power) {
    double sum = 0;
    for (int k = 0; k < starts.length; k++) {
      int c = copiesOn[k];
      int end = end(k);
      if (c == 0 || starts[k] >= end) {
        continue;
      }
      // Written on days (d − end, d − start]: within the prefix from index d − end + 1.
      double within =
          at(prefix, d - starts[k]) - at(prefix, end == Integer.MAX_VALUE ? -1 : d - end);
      sum += (power == 1 ? c : (double) c * c) * within;
    }
    return sum;
  }

  /** S(x): the prefix through day x, 0 before day 0, the last one past the end. */
  private static double at(double[] prefix, long x) {
    if (x < 0) {
      return 0;
    }
    return prefix[(int) Math.min(x + 1, prefix.length - 1)];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PhaseFlow f
        && java.util.Arrays.equals(starts, f.starts)
        && copies.equals(f.copies)
        && expiryDays == f.expiryDays;
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(starts) + copies.hashCode() + expiryDays;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < starts.length; k++) {
      sb.append(k == 0 ? "" : "; ").append(starts[k]).append("d: ").append(copies.get(k));
    }
    return sb.append(expiryDays == Integer.MAX_VALUE ? "" : "; expiry " + expiryDays + "d")
        .toString();
  }
}
