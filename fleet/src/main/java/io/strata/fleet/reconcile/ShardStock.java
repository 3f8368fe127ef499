package io.strata.fleet.reconcile;

import io.strata.fleet.capacity.AgeProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The logical bytes of a shard's objects (each once, whatever its copies) under each policy that
 * governs some, by age as that policy counts it ({@link AgeProfile}), when the shard was planned:
 * what the capacity history records per dataset. Objects no policy governs, and objects being
 * destroyed by an approved expiry, are not counted.
 *
 * @param dataset the shard's dataset
 * @param at the policy clock's instant the ages were counted at
 * @param byPolicy policy name to the bytes by age
 */
public record ShardStock(String dataset, Instant at, Map<String, Ages> byPolicy) {
  public ShardStock {
    byPolicy = Map.copyOf(byPolicy);
  }

  /**
   * Bytes by age bucket, only the buckets that hold some: a shard of a few objects keeps a few
   * entries, not {@value AgeProfile#BUCKETS}, so that a million shards' plans stay small.
   *
   * @param buckets the buckets that hold bytes, ascending
   * @param bytes the bytes of each
   */
  public record Ages(short[] buckets, long[] bytes) {
    /** The profile of {@code dense}'s buckets that hold bytes. */
    public static Ages of(long[] dense) {
      int n = 0;
      for (long v : dense) {
        n += v != 0 ? 1 : 0;
      }
      short[] buckets = new short[n];
      long[] bytes = new long[n];
      int i = 0;
      for (int b = 0; b < dense.length; b++) {
        if (dense[b] != 0) {
          buckets[i] = (short) b;
          bytes[i++] = dense[b];
        }
      }
      return new Ages(buckets, bytes);
    }

    /** Adds these bytes into {@code profile}, which has every bucket. */
    public void addTo(long[] profile) {
      for (int i = 0; i < buckets.length; i++) {
        profile[buckets[i]] += bytes[i];
      }
    }

    /** Every bucket up to the last that holds bytes. */
    public long[] dense() {
      long[] out = new long[buckets.length == 0 ? 0 : buckets[buckets.length - 1] + 1];
      for (int i = 0; i < buckets.length; i++) {
        out[buckets[i]] = bytes[i];
      }
      return out;
    }
  }

  /** Counts objects as they are planned. Not thread-safe. */
  static final class Counter {
    private final Map<String, long[]> byPolicy = new HashMap<>();

    void add(String policy, Instant ageFrom, Instant now, long bytes) {
      long age = Math.floorDiv(now.getEpochSecond() - ageFrom.getEpochSecond(), 86_400L);
      long[] profile = byPolicy.getOrDefault(policy, new long[0]);
      long[] grown = AgeProfile.add(profile, age, bytes); // In place when it is long enough.
      if (grown != profile) {
        byPolicy.put(policy, grown);
      }
    }

    ShardStock of(String dataset, Instant at) {
      Map<String, Ages> out = new HashMap<>();
      byPolicy.forEach((policy, dense) -> out.put(policy, Ages.of(dense)));
      return new ShardStock(dataset, at, out);
    }
  }
}
