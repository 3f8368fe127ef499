package io.strata.policy.parse;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys and words: the closest allowed word within two edits. */
final class Suggestions {
  static final int MAX_DISTANCE = 2;

  private Suggestions() {}

  /** The allowed word closest to {@code found}, if one is at most two edits away. */
  static Optional<String> closest(String found, Collection<String> allowed) {
    String best = null;
    int bestDistance = MAX_DISTANCE + 1;
    for (String candidate : allowed) {
      int d =
          distance(
              found.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT), bestDistance);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance, or {@code limit} as soon as it is known to be at least that. */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) {
      return limit;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin >= limit) {
        return limit;
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return Math.min(previous[b.length()], limit);
  }
}
