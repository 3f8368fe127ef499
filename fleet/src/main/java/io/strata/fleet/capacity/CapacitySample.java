package io.strata.fleet.capacity;

import io.strata.fleet.view.PoolView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes in use on each pool at one moment, as the pools' agents last counted them, and the
 * bytes each dataset holds, as the leader's last plans of its shards count them: one object of the
 * capacity history. Pools no agent counted (none up, or the pool unreachable) are left out, and so
 * are datasets not every shard of which the leader has planned yet (it has just been elected).
 *
 * @param at when the leader took it
 * @param pools the pools counted
 * @param used bytes in use on each of {@code pools}, in the same order
 * @param datasets the datasets counted; null in samples written before they were, or when none
 *     could be
 */
public record CapacitySample(
    Instant at, List<String> pools, long[] used, List<DatasetBytes> datasets) {
  public CapacitySample {
    if (pools.size() != used.length) {
      throw new IllegalArgumentException(
          "a capacity sample names " + pools.size() + " pools and " + used.length + " counts");
    }
    datasets = datasets == null || datasets.isEmpty() ? null : List.copyOf(datasets);
  }

  /** A sample of the pools alone. */
  public CapacitySample(Instant at, List<String> pools, long[] used) {
    this(at, pools, used, null);
  }

  /**
   * What one dataset holds under one policy: each object once, whatever its copies, as the policy
   * evaluates it. A dataset whose objects fall under two policies (by prefix or metadata) has two.
   *
   * @param dataset the dataset
   * @param policy the policy governing these objects; objects none governs are not counted
   * @param bytes their logical bytes
   * @param ages the same bytes by age ({@link AgeProfile}), at {@code at}; null in the samples of a
   *     day after the first that carries them, to keep the history small
   */
  public record DatasetBytes(String dataset, String policy, long bytes, long[] ages) {
    /** The same without its ages. */
    public DatasetBytes withoutAges() {
      return new DatasetBytes(dataset, policy, bytes, null);
    }
  }

  /** Whether some dataset's ages are in this sample. */
  public boolean hasAges() {
    return datasets != null && datasets.stream().anyMatch(d -> d.ages() != null);
  }

  /** This sample without the datasets' ages. */
  public CapacitySample withoutAges() {
    return datasets == null
        ? this
        : new CapacitySample(
            at, pools, used, datasets.stream().map(DatasetBytes::withoutAges).toList());
  }

  /** This sample with the datasets counted. */
  public CapacitySample withDatasets(List<DatasetBytes> counted) {
    return new CapacitySample(at, pools, used, counted);
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
