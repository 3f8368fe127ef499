package io.strata.fleet.capacity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Capacity samples written as maps, for tests. */
public final class TestSamples {
  private TestSamples() {}

  /** A sample of {@code used}, pools in id order. */
  public static CapacitySample sample(Instant at, Map<String, Long> used) {
    Map<String, Long> sorted = new TreeMap<>(used);
    return new CapacitySample(
        at,
        List.copyOf(sorted.keySet()),
        sorted.values().stream().mapToLong(Long::longValue).toArray());
  }
}
