package io.strata.protocol.task;

import java.util.Objects;

/**
 * A shard's key range {@code [start, end)} in {@link KeyOrder}. An empty {@code end} means the end
 * of the key space; an empty {@code start} means its beginning.
 *
 * @param start first key of the range, inclusive; never null
 * @param end first key after the range, exclusive; empty for unbounded
 */
public record KeyRange(String start, String end) {

  /** The whole key space. */
  public static final KeyRange ALL = new KeyRange("", "");

  public KeyRange {
    start = Objects.requireNonNullElse(start, "");
    end = Objects.requireNonNullElse(end, "");
    if (!end.isEmpty() && KeyOrder.compare(start, end) >= 0) {
      throw new IllegalArgumentException(
          "key range start must be before end, got [" + start + ", " + end + ")");
    }
  }

  /** Whether {@code key} lies in this range. */
  public boolean contains(String key) {
    return KeyOrder.compare(key, start) >= 0 && !isPastEnd(key);
  }

  /** Whether {@code key} is at or after the end of this range (listings may stop there). */
  public boolean isPastEnd(String key) {
    return !end.isEmpty() && KeyOrder.compare(key, end) >= 0;
  }

  @Override
  public String toString() {
    return "[" + start + ", " + (end.isEmpty() ? "<end>" : end) + ")";
  }
}
