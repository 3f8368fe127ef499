package io.strata.fleet.capacity;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tier's use at a site over the window, for charts: at each sample, the sum of its pools' use, a
 * pool missing from a sample counted at its last use before (a pool not sampled yet counts
 * nothing).
 *
 * @param at the samples' times, oldest first
 * @param used bytes in use at each
 */
public record CapacitySeries(String tier, String site, List<Instant> at, long[] used) {

  /** Each tier's use at each site over the window before the newest sample, in map order. */
  public static List<CapacitySeries> of(
      ClusterMap map, List<CapacitySample> samples, Duration window) {
    List<CapacitySample> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparing(CapacitySample::at));
    if (!sorted.isEmpty()) {
      Instant from = sorted.get(sorted.size() - 1).at().minus(window);
      sorted.removeIf(s -> s.at().isBefore(from));
    }
    Map<String, Integer> groupOfPool = new HashMap<>();
    Map<List<String>, Integer> groups = new LinkedHashMap<>();
    for (Pool pool : map.pools().values()) {
      List<String> key =
          java.util.Arrays.asList(pool.tier(), CapacityForecast.name(map, pool, DomainLevel.SITE));
      Integer g = groups.computeIfAbsent(key, k -> groups.size());
      groupOfPool.put(pool.id(), g);
    }
    long[][] used = new long[groups.size()][sorted.size()];
    // Each group's total, kept as its pools' last use changes: a pool missing from a sample keeps
    // its last use; one not in the map counts nowhere.
    long[] total = new long[groups.size()];
    Map<String, long[]> last = new HashMap<>();
    List<String> lastPools = null;
    long[][] lastOf = null;
    int[] groupOf = null;
    List<Instant> at = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      CapacitySample s = sorted.get(i);
      at.add(s.at());
      if (s.pools() != lastPools) {
        lastPools = s.pools();
        lastOf = new long[lastPools.size()][];
        groupOf = new int[lastPools.size()];
        for (int p = 0; p < lastOf.length; p++) {
          lastOf[p] = last.computeIfAbsent(lastPools.get(p), k -> new long[1]);
          groupOf[p] = groupOfPool.getOrDefault(lastPools.get(p), -1);
        }
      }
      long[] values = s.used();
      for (int p = 0; p < values.length; p++) {
        if (groupOf[p] >= 0) {
          total[groupOf[p]] += values[p] - lastOf[p][0];
        }
        lastOf[p][0] = values[p];
      }
      for (int g = 0; g < total.length; g++) {
        used[g][i] = total[g];
      }
    }
    List<CapacitySeries> out = new ArrayList<>();
    List<Instant> times = List.copyOf(at);
    for (Map.Entry<List<String>, Integer> e : groups.entrySet()) {
      out.add(new CapacitySeries(e.getKey().get(0), e.getKey().get(1), times, used[e.getValue()]));
    }
    return out;
  }
}
