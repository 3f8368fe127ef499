package io.strata.fleet.capacity;

import io.strata.fleet.capacity.CapacitySample.DatasetBytes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each dataset's logical bytes under each policy at the end of each UTC day of the capacity
 * history, and their ages on that day: pure, from the samples. A day without a sample of the
 * dataset holds the day before's (the leader was changing, or had not planned all its shards yet),
 * as a pool missing from a sample does. Ages are recorded once a day: a day's are the newest
 * recorded on or before it, moved on by the days since ({@link AgeProfile#aged}), with what the
 * dataset wrote since at age 0 ({@link AgeProfile#reconciled}), so that they add up to the day's
 * bytes.
 *
 * @param dataset the dataset
 * @param policy the policy that governs these bytes
 * @param firstDay the first day, counted from the history's first, with bytes
 * @param firstAgesDay the first day with ages; -1 when none has
 * @param bytes each day's bytes; 0 before {@code firstDay}
 * @param ages each day's ages; null before {@code firstAgesDay}
 * @param current whether the newest sample that counts datasets counts this one
 */
public record DatasetHistory(
    String dataset,
    String policy,
    int firstDay,
    int firstAgesDay,
    double[] bytes,
    long[][] ages,
    boolean current) {

  /** The daily increase of its bytes from its first day on: one value fewer than its days. */
  public double[] intake() {
    double[] out = new double[Math.max(0, bytes.length - 1 - firstDay)];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes[firstDay + 1 + i] - bytes[firstDay + i];
    }
    return out;
  }

  /**
   * The datasets of {@code samples} over {@code days} days from {@code firstDay}; samples outside
   * them are not read. In dataset, then policy, order.
   */
  public static List<DatasetHistory> of(
      List<CapacitySample> samples, LocalDate firstDay, int days) {
    List<CapacitySample> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparing(CapacitySample::at));
    Map<List<String>, Builder> builders =
        new TreeMap<>(
            Comparator.comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
    CapacitySample newest = null;
    for (CapacitySample s : sorted) {
      int day =
          (int) (s.at().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() - firstDay.toEpochDay());
      if (day < 0 || day >= days || s.datasets() == null) {
        continue;
      }
      newest = s;
      for (DatasetBytes d : s.datasets()) {
        builders
            .computeIfAbsent(List.of(d.dataset(), d.policy()), k -> new Builder(days))
            .seen(day, d);
      }
    }
    List<DatasetHistory> out = new ArrayList<>();
    for (Map.Entry<List<String>, Builder> e : builders.entrySet()) {
      List<String> key = e.getKey();
      boolean current =
          newest != null
              && newest.datasets().stream()
                  .anyMatch(d -> d.dataset().equals(key.get(0)) && d.policy().equals(key.get(1)));
      out.add(e.getValue().build(key.get(0), key.get(1), current));
    }
    return out;
  }

  private static final class Builder {
    final double[] bytes;
    final boolean[] counted;
    final long[][] agesTaken;

    Builder(int days) {
      bytes = new double[days];
      counted = new boolean[days];
      agesTaken = new long[days][];
    }

    void seen(int day, DatasetBytes d) {
      bytes[day] = d.bytes(); // Samples come oldest first: the day's last one stays.
      counted[day] = true;
      if (d.ages() != null && agesTaken[day] == null) {
        agesTaken[day] = d.ages();
      }
    }

    DatasetHistory build(String dataset, String policy, boolean current) {
      int days = bytes.length;
      int first = -1;
      int firstAges = -1;
      long[] lastAges = null;
      int lastAgesDay = -1;
      long[][] ages = new long[days][];
      for (int d = 0; d < days; d++) {
        if (!counted[d] && first >= 0) {
          bytes[d] = bytes[d - 1];
        }
        if (counted[d] && first < 0) {
          first = d;
        }
        if (agesTaken[d] != null) {
          lastAges = agesTaken[d];
          lastAgesDay = d;
          firstAges = firstAges < 0 ? d : firstAges;
        }
        if (lastAges != null) {
          ages[d] =
              AgeProfile.reconciled(AgeProfile.aged(lastAges, d - lastAgesDay), (long) bytes[d]);
        }
      }
      return new DatasetHistory(dataset, policy, first, firstAges, bytes, ages, current);
    }
  }
}
