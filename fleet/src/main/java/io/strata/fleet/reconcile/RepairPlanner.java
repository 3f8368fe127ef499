package io.strata.fleet.reconcile;

import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import java.util.ArrayList;
import java.util.List;

/**
 * Shard-level repair planning when pools fail: which shards lost a copy, where the new copy goes
 * and where it is copied from. Pure and allocation-light: placements are kept as pool slots in flat
 * arrays with an inverted index from pool to shards, so a rack loss touches only the shards that
 * had a copy there, not the whole fleet.
 *
 * <p>This is the summary level of the reconciler (decision 2 of the design): the per-object diff of
 * {@link ShardPlanner} then runs only for the shards a repair names.
 */
public final class RepairPlanner {
  private RepairPlanner() {}

  /**
   * Where every shard's copies are, as pool slots of one index.
   *
   * @param copies copies per shard
   * @param slots {@code slots[shard * copies + i]} is the i-th copy's pool slot, -1 when short
   * @param shardsOfPool for each pool slot, the shards with a copy there ({@code start[slot]} to
   *     {@code start[slot + 1]} in {@code members})
   */
  public record Placements(
      String[] shardIds,
      int copies,
      int[] slots,
      int[] start,
      int[] members,
      PlacementIndex index) {}

  /** A copy to make again. */
  public record Repair(String shard, String lost, String target, String source) {}

  /** Places every shard on {@code index}'s map and builds the pool-to-shards index. */
  public static Placements place(PlacementIndex index, String[] shardIds, PlacementRule rule) {
    int copies = rule.totalCopies();
    int[] slots = new int[shardIds.length * copies];
    java.util.Arrays.fill(slots, -1);
    Placer placer = index.placer();
    int[] out = new int[copies];
    int maxSlot = 0;
    for (int s = 0; s < shardIds.length; s++) {
      int n = placer.placeSlots(shardIds[s], rule, out);
      for (int i = 0; i < n; i++) {
        slots[s * copies + i] = out[i];
        maxSlot = Math.max(maxSlot, out[i]);
      }
    }
    int[] start = new int[maxSlot + 2];
    for (int slot : slots) {
      if (slot >= 0) {
        start[slot + 1]++;
      }
    }
    for (int i = 1; i < start.length; i++) {
      start[i] += start[i - 1];
    }
    int[] fill = start.clone();
    int[] members = new int[start[start.length - 1]];
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] >= 0) {
        members[fill[slots[i]]++] = i / copies;
      }
    }
    return new Placements(shardIds, copies, slots, start, members, index);
  }

  /**
   * The repairs after the map changed to {@code after}: for every shard with a copy on a pool that
   * is no longer up, the new placement on {@code after} and, for each new pool, a surviving copy to
   * read from. Shards without a surviving copy are skipped (nothing to copy from).
   */
  public static List<Repair> repairs(Placements before, PlacementIndex after, PlacementRule rule) {
    PlacementIndex old = before.index();
    List<Repair> out = new ArrayList<>();
    Placer placer = after.placer();
    int copies = before.copies();
    int[] next = new int[rule.totalCopies()];
    boolean[] done = new boolean[before.shardIds().length];
    for (int slot = 0; slot + 1 < before.start().length; slot++) {
      Pool pool = old.pool(slot);
      if (pool == null) {
        continue;
      }
      Pool now = after.map().pool(pool.id()).orElse(null);
      if (now != null && after.map().effectiveState(now) == DomainState.UP) {
        continue;
      }
      for (int m = before.start()[slot]; m < before.start()[slot + 1]; m++) {
        int shard = before.members()[m];
        if (done[shard]) {
          continue;
        }
        done[shard] = true;
        String source = null;
        for (int i = 0; i < copies; i++) {
          int s = before.slots()[shard * copies + i];
          Pool p = s < 0 ? null : old.pool(s);
          Pool q = p == null ? null : after.map().pool(p.id()).orElse(null);
          if (q != null && after.map().effectiveState(q) == DomainState.UP) {
            source = p.id();
            break;
          }
        }
        if (source == null) {
          continue;
        }
        int n = placer.placeSlots(before.shardIds()[shard], rule, next);
        for (int i = 0; i < n; i++) {
          String target = after.pool(next[i]).id();
          if (!holds(before, shard, target)) {
            out.add(new Repair(before.shardIds()[shard], pool.id(), target, source));
          }
        }
      }
    }
    return out;
  }

  private static boolean holds(Placements p, int shard, String poolId) {
    for (int i = 0; i < p.copies(); i++) {
      int s = p.slots()[shard * p.copies() + i];
      if (s >= 0 && p.index().pool(s).id().equals(poolId)) {
        return true;
      }
    }
    return false;
  }
}
