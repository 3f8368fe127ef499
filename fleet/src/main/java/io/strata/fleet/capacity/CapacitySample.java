package io.strata.fleet.capacity;

import io.strata.fleet.view.PoolView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes in use on each pool at one moment, as the pools' agents last counted them: one object
 * of the capacity history. Pools no agent counted (none up, or the pool unreachable) are left out.
 *
 * @param at when the leader took it
 * @param pools the pools counted
 * @param used bytes in use on each of {@code pools}, in the same order
 */
public record CapacitySample(Instant at, List<String> pools, long[] used) {
  public CapacitySample {
    if (pools.size() != used.length) {
      throw new IllegalArgumentException(
          "a capacity sample names " + pools.size() + " pools and " + used.length + " counts");
    }
  }

  /** The pools of the fleet view that an agent counted, at {@code at}. */
  public static CapacitySample of(Instant at, List<PoolView> fleet) {
    List<String> pools = new ArrayList<>();
    long[] used = new long[fleet.size()];
    for (PoolView p : fleet) {
      if (p.usedBytes() >= 0) {
        used[pools.size()] = p.usedBytes();
        pools.add(p.id());
      }
    }
    return new CapacitySample(
        at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        List.copyOf(pools),
        java.util.Arrays.copyOf(used, pools.size()));
  }
}
