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
public record ShardStock(String dataset, Instant at, Map<String, long[]> byPolicy) {
  public ShardStock {
    byPolicy = Map.copyOf(byPolicy);
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
      return new ShardStock(dataset, at, byPolicy);
    }
  }
}
