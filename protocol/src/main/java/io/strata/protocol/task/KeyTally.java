package io.strata.protocol.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcomes of a task's keys as they finish, in memory that does not grow with the number of
 * keys: a count and byte total per status, and the outcomes of {@link KeyStatus#named() named}
 * statuses, up to {@link #NAMED_PER_STATUS} per status (those with the first keys in listing order,
 * so the same outcomes give the same result whatever order they finish in). Thread-safe.
 */
public final class KeyTally {

  /** The most outcomes a result names per status; the others of that status are only counted. */
  public static final int NAMED_PER_STATUS = 1000;

  /**
   * How many keys ended with one status, and their bytes.
   *
   * @param keys number of keys
   * @param bytes sum of their sizes, where known
   */
  public record Count(long keys, long bytes) {}

  private final int namedPerStatus;
  private final Map<KeyStatus, long[]> counts = new EnumMap<>(KeyStatus.class);
  private final Map<KeyStatus, TreeMap<String, KeyOutcome>> named = new EnumMap<>(KeyStatus.class);

  public KeyTally() {
    this(NAMED_PER_STATUS);
  }

  KeyTally(int namedPerStatus) {
    this.namedPerStatus = namedPerStatus;
  }

  public synchronized void add(KeyOutcome outcome) {
    long[] count = counts.computeIfAbsent(outcome.status(), s -> new long[2]);
    count[0]++;
    count[1] += Math.max(0, outcome.size());
    if (outcome.status().named()) {
      TreeMap<String, KeyOutcome> kept =
          named.computeIfAbsent(outcome.status(), s -> new TreeMap<>(KeyOrder.COMPARATOR));
      kept.put(outcome.key(), outcome);
      if (kept.size() > namedPerStatus) {
        kept.pollLastEntry();
      }
    }
  }

  /** The count of every status that occurred. */
  public synchronized Map<KeyStatus, Count> counts() {
    Map<KeyStatus, Count> out = new EnumMap<>(KeyStatus.class);
    counts.forEach((status, c) -> out.put(status, new Count(c[0], c[1])));
    return Collections.unmodifiableMap(out);
  }

  /** The named outcomes, by status and then in key order. */
  public synchronized List<KeyOutcome> named() {
    List<KeyOutcome> out = new ArrayList<>();
    named.values().forEach(kept -> out.addAll(kept.values()));
    return out;
  }

  /** The number of keys of all statuses. */
  public synchronized long keys() {
    long n = 0;
    for (long[] c : counts.values()) {
      n += c[0];
    }
    return n;
  }
}
