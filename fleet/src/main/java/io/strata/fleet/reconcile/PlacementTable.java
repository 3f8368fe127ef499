package io.strata.fleet.reconcile;

import io.strata.protocol.task.Task;
import io.strata.topology.ClusterMap;
import io.strata.topology.CopyRemap;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's record of where every planned shard's copies should be, per placement rule its
 * objects follow, with an index from pool to the shards placed there: what makes a map change cheap
 * at a million shards (decision 2 of the design, the summary level).
 *
 * <p>On a new map, {@link #update} finds the shards whose placement changed without placing them
 * all again when it can: a pool that went down, out, draining or lighter can only move copies away
 * from itself (straw2), so only the shards placed on it are placed again. A pool that is new,
 * heavier or back up can draw copies from any shard, so every shard is placed again then; a
 * placement exception added or dropped (the balancer's) moves only the shard it names. For each
 * copy whose pool went down it names a {@link Repair}: a copy of the shard's range to the new pool
 * from a surviving one, queued at once, before any scan; the shard's object-level plan then takes
 * over from its scans. Not thread-safe: the reconcile loop owns it.
 */
public final class PlacementTable {
  private PlacementIndex index;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Map<Integer, Set<String>> onSlot = new HashMap<>();

  /**
   * Placement key to the shard that hashes by it, or to the set of them while two share one: a
   * split's first child keeps its parent's key, and the parent's placement may be recorded again
   * (by a plan made before the split) until it is forgotten. Sets only then, so the index costs a
   * string per shard at a million shards.
   */
  private final Map<String, Object> byKey = new HashMap<>();

  /** A shard's rules and, per rule, the pool slots of its copies. */
  private record Entry(Shard shard, PlacementRule[] rules, int[][] slots) {}

  /**
   * A copy to make again because its pool went down.
   *
   * @param shard the shard
   * @param rule the rule the copy follows
   * @param lost the pool that held it
   * @param target where it goes now
   * @param source a pool of the same rule that still holds the shard's copies
   * @param surviving how many of the rule's copies are on pools still up
   */
  public record Repair(
      Shard shard, PlacementRule rule, String lost, String target, String source, int surviving) {
    /**
     * The task: a copy of every object of the shard's range from the source that the target lacks;
     * data at risk when one copy or none survives of several. Its id is derived from its content,
     * so finding the same repair again queues nothing new.
     *
     * @param bytes what the source holds of the shard, when a scan told; else 0
     */
    public PlannedTask task(long epoch, long bytes) {
      String id =
          TaskGroups.taskId("backfill", shard.id(), source, target, List.of(), 0, null, null);
      TaskPriority priority =
          surviving <= 1 && rule.totalCopies() > 1
              ? TaskPriority.DATA_AT_RISK
              : TaskPriority.MISSING_COPY;
      return new PlannedTask(
          Task.copy(id, shard.dataset(), shard.range(), source, target, epoch),
          priority,
          target,
          bytes);
    }
  }

  /**
   * What a map change did.
   *
   * @param changed ids of the shards whose desired placement changed under some rule
   * @param repairs the copies to make again
   * @param placedAgain how many shards were placed again to find them
   */
  public record Changes(Set<String> changed, List<Repair> repairs, int placedAgain) {}

  public PlacementTable(PlacementIndex index) {
    this.index = index;
  }

  /** The index the table's placements are on. */
  public PlacementIndex index() {
    return index;
  }

  public int size() {
    return entries.size();
  }

  /**
   * Places the shard under each rule on the table's map and records it; returns the pools per rule,
   * first the primary.
   */
  public Map<PlacementRule, List<String>> place(Shard shard, List<PlacementRule> rules) {
    Placer placer = index.placer();
    PlacementRule[] r = rules.toArray(PlacementRule[]::new);
    int[][] slots = new int[r.length][];
    Map<PlacementRule, List<String>> out = new HashMap<>();
    for (int i = 0; i < r.length; i++) {
      slots[i] = place(placer, shard, r[i]);
      List<String> pools = new ArrayList<>(slots[i].length);
      for (int s : slots[i]) {
        pools.add(index.pool(s).id());
      }
      out.put(r[i], pools);
    }
    put(new Entry(shard, r, slots));
    return out;
  }

  /**
   * Records the placement a shard's plan used ({@link ShardPlan#placements()}), which must be on
   * the table's map.
   */
  public void record(Shard shard, Map<PlacementRule, List<String>> placements) {
    PlacementRule[] r = placements.keySet().toArray(PlacementRule[]::new);
    int[][] slots = new int[r.length][];
    for (int i = 0; i < r.length; i++) {
      List<String> pools = placements.get(r[i]);
      slots[i] = new int[pools.size()];
      for (int c = 0; c < pools.size(); c++) {
        slots[i][c] = index.slotOf(pools.get(c));
      }
    }
    put(new Entry(shard, r, slots));
  }

  /** Forgets a shard (split, or its dataset gone). */
  public void forget(String shardId) {
    Entry old = entries.remove(shardId);
    if (old != null) {
      unindex(old);
      unindexKey(old.shard().placementKey(), shardId);
    }
  }

  /** Forgets the shards not in {@code shardIds} (split). */
  public void retain(Set<String> shardIds) {
    if (entries.size() <= shardIds.size() && shardIds.containsAll(entries.keySet())) {
      return;
    }
    for (String id : List.copyOf(entries.keySet())) {
      if (!shardIds.contains(id)) {
        forget(id);
      }
    }
  }

  /** Every recorded placement: a shard, one rule it follows, and the pools of that rule. */
  public void forEach(PlacementConsumer consumer) {
    for (Entry e : entries.values()) {
      for (int i = 0; i < e.rules().length; i++) {
        List<String> pools = new ArrayList<>(e.slots()[i].length);
        for (int s : e.slots()[i]) {
          pools.add(index.pool(s).id());
        }
        consumer.accept(e.shard(), e.rules()[i], pools);
      }
    }
  }

  /** Receives one recorded placement. */
  @FunctionalInterface
  public interface PlacementConsumer {
    void accept(Shard shard, PlacementRule rule, List<String> pools);
  }

  /** Whether the shard's placement is recorded. */
  public boolean knows(String shardId) {
    return entries.containsKey(shardId);
  }

  /**
   * Moves the table to the map of {@code after}: finds the shards whose placement changed, places
   * them again, and names the repairs for copies whose pool went down.
   */
  public Changes update(PlacementIndex after) {
    PlacementIndex before = index;
    index = after;
    if (before.map() == after.map()) {
      return new Changes(Set.of(), List.of(), 0);
    }
    boolean everything = gained(before.map(), after.map());
    Set<String> candidates = new HashSet<>();
    Set<Integer> down = new HashSet<>();
    if (everything) {
      candidates.addAll(entries.keySet());
    } else if (!before.map().remaps().equals(after.map().remaps())) {
      Map<String, List<CopyRemap>> was = before.map().remaps();
      Map<String, List<CopyRemap>> now = after.map().remaps();
      Set<String> keys = new HashSet<>(was.keySet());
      keys.addAll(now.keySet());
      for (String key : keys) {
        if (!java.util.Objects.equals(was.get(key), now.get(key))) {
          shardsKeyedBy(key, candidates);
        }
      }
    }
    for (var e : onSlot.entrySet()) {
      Pool was = before.pool(e.getKey());
      Pool now = was == null ? null : after.map().pool(was.id()).orElse(null);
      if (now == null || !sameForPlacement(before.map(), was, after.map(), now)) {
        candidates.addAll(e.getValue());
      }
      if (now == null || after.map().effectiveState(now) == DomainState.DOWN) {
        down.add(e.getKey());
      }
    }
    Placer placer = after.placer();
    Set<String> changed = new HashSet<>();
    List<Repair> repairs = new ArrayList<>();
    for (String id : candidates) {
      Entry old = entries.get(id);
      int[][] slots = new int[old.rules().length][];
      boolean moved = false;
      for (int i = 0; i < old.rules().length; i++) {
        slots[i] = place(placer, old.shard(), old.rules()[i]);
        if (!Arrays.equals(slots[i], old.slots()[i])) {
          moved = true;
          repairs(old, i, slots[i], down, before, repairs);
        }
      }
      if (moved) {
        changed.add(id);
        put(new Entry(old.shard(), old.rules(), slots));
      }
    }
    return new Changes(changed, repairs, candidates.size());
  }

  /** The repairs of rule {@code i} of a shard: its copies on down pools, made again elsewhere. */
  private void repairs(
      Entry old, int i, int[] next, Set<Integer> down, PlacementIndex before, List<Repair> out) {
    int[] was = old.slots()[i];
    String source = null;
    String lost = null;
    int surviving = 0;
    for (int s : was) {
      if (!down.contains(s)) {
        surviving++;
        source = source == null ? before.pool(s).id() : source;
      } else if (lost == null) {
        lost = before.pool(s).id();
      }
    }
    if (lost == null || source == null) {
      return; // Nothing lost, or nothing left to copy from: the object-level plan decides.
    }
    for (int s : next) {
      if (!contains(was, s)) {
        PlacementRule rule = old.rules()[i];
        out.add(new Repair(old.shard(), rule, lost, index.pool(s).id(), source, surviving));
      }
    }
  }

  private static boolean contains(int[] slots, int slot) {
    for (int s : slots) {
      if (s == slot) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the new map can draw copies toward some pool: a pool that is new, heavier or up again.
   * Then any shard may move, and all are placed again.
   */
  private static boolean gained(ClusterMap before, ClusterMap after) {
    for (Pool now : after.pools().values()) {
      Pool was = before.pool(now.id()).orElse(null);
      if (was == null) {
        return true;
      }
      boolean upBefore = before.effectiveState(was) == DomainState.UP;
      boolean upAfter = after.effectiveState(now) == DomainState.UP;
      if ((upAfter && !upBefore) || (upAfter && now.weight() > was.weight())) {
        return true;
      }
      if (!was.tier().equals(now.tier()) || !was.domain().equals(now.domain())) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameForPlacement(ClusterMap before, Pool was, ClusterMap after, Pool now) {
    return before.effectiveState(was) == after.effectiveState(now)
        && was.weight() == now.weight()
        && was.tier().equals(now.tier())
        && was.domain().equals(now.domain());
  }

  private static int[] place(Placer placer, Shard shard, PlacementRule rule) {
    int[] out = new int[rule.totalCopies()];
    int n = placer.placeSlots(shard.placementKey(), rule, out);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  private void put(Entry entry) {
    Entry old = entries.put(entry.shard().id(), entry);
    if (old != null) {
      unindex(old);
    }
    indexKey(entry.shard().placementKey(), entry.shard().id());
    for (int[] slots : entry.slots()) {
      for (int s : slots) {
        onSlot.computeIfAbsent(s, k -> new HashSet<>()).add(entry.shard().id());
      }
    }
  }

  private void indexKey(String key, String id) {
    byKey.merge(
        key,
        id,
        (held, added) -> {
          if (held instanceof String one) {
            if (one.equals(added)) {
              return one;
            }
            Set<String> both = new HashSet<>(4);
            both.add(one);
            both.add(id);
            return both;
          }
          idsOf(held).add(id);
          return held;
        });
  }

  private void unindexKey(String key, String id) {
    byKey.computeIfPresent(
        key,
        (k, held) -> {
          if (held instanceof String one) {
            return one.equals(id) ? null : one;
          }
          Set<String> ids = idsOf(held);
          ids.remove(id);
          return ids.size() == 1 ? ids.iterator().next() : ids;
        });
  }

  /** Adds to {@code out} the shards that hash by {@code key}. */
  private void shardsKeyedBy(String key, Set<String> out) {
    Object held = byKey.get(key);
    if (held instanceof String one) {
      out.add(one);
    } else if (held != null) {
      out.addAll(idsOf(held));
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String> idsOf(Object held) {
    return (Set<String>) held;
  }

  private void unindex(Entry entry) {
    for (int[] slots : entry.slots()) {
      for (int s : slots) {
        Set<String> members = onSlot.get(s);
        if (members != null) {
          members.remove(entry.shard().id());
        }
      }
    }
  }
}
