package io.strata.protocol.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The retain-until instant each copy of a copy task carries when written, one per named key, sent
 * run-length encoded over the task's keys in the order the task names them: a run says how many
 * consecutive keys share an instant. Keys lie together by study (the instances of a study share its
 * date, and their keys its prefix), so a task of 200 keys usually sends a run or a few, a dozen
 * bytes each, rather than 200 dates; at worst one run per key, still shorter than the keys.
 *
 * @param runs the runs, in key order; their counts add up to the task's key count
 */
public record RetainUntil(List<Run> runs) {

  /**
   * Consecutive keys with the same retain-until.
   *
   * @param keys how many, at least 1
   * @param until epoch second until which their copies are retained; 0 for none (no marker)
   */
  public record Run(int keys, long until) {}

  public RetainUntil {
    runs = List.copyOf(runs);
  }

  /**
   * The instants of {@code keys}, in their order; null when none of them has one, so that a task
   * that marks nothing carries nothing.
   */
  public static RetainUntil of(List<String> keys, Map<String, Instant> until) {
    List<Run> runs = new ArrayList<>();
    boolean any = false;
    for (String key : keys) {
      Instant at = until.get(key);
      long second = at == null ? 0 : at.getEpochSecond();
      any |= second != 0;
      int last = runs.size() - 1;
      if (last >= 0 && runs.get(last).until() == second) {
        runs.set(last, new Run(runs.get(last).keys() + 1, second));
      } else {
        runs.add(new Run(1, second));
      }
    }
    return any ? new RetainUntil(runs) : null;
  }

  /**
   * The retain-until of each of {@code keys} (the task's keys, in the order it names them) that has
   * one.
   *
   * @throws IllegalArgumentException when the runs do not cover exactly those keys, so that no copy
   *     is written with another key's date
   */
  public Map<String, Instant> byKey(List<String> keys) {
    Objects.requireNonNull(keys, "keys");
    Map<String, Instant> out = new HashMap<>();
    int next = 0;
    for (Run run : runs) {
      if (run.keys() < 1 || next + run.keys() > keys.size()) {
        throw new IllegalArgumentException(
            "the retain-until runs cover more than the task's " + keys.size() + " keys");
      }
      for (int i = 0; i < run.keys(); i++, next++) {
        if (run.until() != 0) {
          out.put(keys.get(next), Instant.ofEpochSecond(run.until()));
        }
      }
    }
    if (next != keys.size()) {
      throw new IllegalArgumentException(
          "the retain-until runs cover " + next + " of the task's " + keys.size() + " keys");
    }
    return out;
  }
}
