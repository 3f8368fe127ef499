package io.strata.policy.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A dataset name, or a glob where {@code *} stands for any run of characters: {@code h01-imaging},
 * {@code *-imaging}, {@code imaging-*}.
 *
 * @param glob lowercase letters, digits, {@code .}, {@code -} and {@code *}
 */
public record DatasetPattern(String glob) {
  /** What a pattern may contain, for error messages. */
  public static final String ALLOWED =
      "a dataset name of lowercase letters, digits, '.' and '-', with '*' for any run of"
          + " characters (e.g. *-imaging)";

  private static final Pattern VALID = Pattern.compile("[a-z0-9.*-]{1,63}");

  public DatasetPattern {
    if (glob == null || !VALID.matcher(glob).matches()) {
      throw new IllegalArgumentException("'" + glob + "' is not " + ALLOWED);
    }
  }

  /** True when the dataset name matches the glob in full. */
  public boolean matches(String dataset) {
    return dataset != null && overlap(glob, dataset);
  }

  /** True when some dataset name matches both patterns. */
  public boolean overlaps(DatasetPattern other) {
    return overlap(glob, other.glob);
  }

  /**
   * Whether two globs share a word: a search over pairs of positions, one in each glob, stepping
   * both over a common character, or over a {@code *} that matches it. Linear in the product of the
   * lengths.
   */
  private static boolean overlap(String a, String b) {
    Deque<int[]> todo = new ArrayDeque<>();
    Set<Long> seen = new HashSet<>();
    todo.add(new int[] {0, 0});
    while (!todo.isEmpty()) {
      int[] s = todo.poll();
      int i = s[0];
      int j = s[1];
      if (!seen.add(((long) i << 32) | j)) {
        continue;
      }
      boolean endA = i == a.length();
      boolean endB = j == b.length();
      if (endA && endB) {
        return true;
      }
      boolean starA = !endA && a.charAt(i) == '*';
      boolean starB = !endB && b.charAt(j) == '*';
      if (starA) {
        todo.add(new int[] {i + 1, j});
      }
      if (starB) {
        todo.add(new int[] {i, j + 1});
      }
      if (endA || endB) {
        continue;
      }
      if (starA && !starB) {
        todo.add(new int[] {i, j + 1});
      } else if (starB && !starA) {
        todo.add(new int[] {i + 1, j});
      } else if (!starA && a.charAt(i) == b.charAt(j)) {
        todo.add(new int[] {i + 1, j + 1});
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return glob;
  }
}
