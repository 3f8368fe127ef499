package io.strata.fleet.reconcile;

import io.strata.protocol.task.ListedObject;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a change to the cluster map would do, worked out without making it: the copies and bytes
 * that would move (per tier of their new pool and per link between rooms), the shards whose rule
 * could no longer be placed in full, the share of stored bytes misplaced right after the change,
 * and how long the movement would take at the movement budgets. It places every shard the leader
 * has placed under the changed map with the same placer the reconciler uses, and weighs each copy
 * with what the shard's last scans found. Pure; not thread-safe (the reconcile thread fills it).
 *
 * <p>The estimate of time is the budgets' bound: the bytes through the busiest rack (read from or
 * written to its pools) over the rack budget, likewise for rooms, and each policy's voluntary bytes
 * over its bandwidth (copies of a pool that goes down are repairs, read from a surviving copy and
 * exempt from that bandwidth); the largest of these names the bottleneck. Copies run in parallel
 * across racks, so a change whose movement is spread finishes in about that time.
 */
public final class ChangePreview {
  private final ClusterMap before;
  private final ClusterMap after;
  private final Placer placer;
  private final Map<String, Move> byTier = new TreeMap<>();
  private final Map<String, Move> byLink = new TreeMap<>();
  private final Map<String, Long> throughRack = new HashMap<>();
  private final Map<String, Long> throughRoom = new HashMap<>();
  private final Map<String, Long> byPolicy = new HashMap<>();
  private int shards;
  private int moving;
  private int losing;
  private long copies;
  private long bytes;
  private long stored;

  /** A preview of moving from {@code before} to {@code after}, placements to be added. */
  public ChangePreview(ClusterMap before, ClusterMap after) {
    this.before = before;
    this.after = after;
    this.placer = PlacementIndex.of(after).placer();
  }

  /** Copies and their bytes. */
  public record Move(long copies, long bytes) {
    Move plus(long b) {
      return new Move(copies + 1, bytes + b);
    }
  }

  /**
   * The preview.
   *
   * @param shards placements examined (a shard once per rule its objects follow)
   * @param shardsMoving placements that would move at least one copy
   * @param copies copies that would be made on new pools
   * @param bytes their bytes
   * @param byTier per tier of the new pool
   * @param byLink per link, {@code "<source room> -> <target room>"}
   * @param shardsLosingRedundancy placements whose rule the changed map can no longer place in full
   * @param storedBytes the bytes every copy of every placement holds now
   * @param peakMisplacedShare bytes to move over bytes stored: what is misplaced right after the
   *     change, before any copy is made
   * @param etaSeconds the time the movement needs at the budgets; null when no budget bounds it
   * @param bottleneck the budget that sets {@code etaSeconds} ({@code rack r1}, {@code room m},
   *     {@code policy p}); null with it
   */
  public record Report(
      int shards,
      int shardsMoving,
      long copies,
      long bytes,
      Map<String, Move> byTier,
      Map<String, Move> byLink,
      int shardsLosingRedundancy,
      long storedBytes,
      double peakMisplacedShare,
      Long etaSeconds,
      String bottleneck) {}

  /**
   * Adds one placement the leader holds.
   *
   * @param shard the shard
   * @param rule a rule its objects follow
   * @param pools the pools of its copies under that rule now
   * @param copyBytes what one copy holds, from the shard's scans; 0 when none told
   * @param policy the policy that governs its dataset; null when none does
   */
  public void add(
      Shard shard, PlacementRule rule, List<String> pools, long copyBytes, String policy) {
    shards++;
    stored += copyBytes * pools.size();
    List<Pool> next = placer.place(shard.placementKey(), rule);
    if (next.size() < rule.totalCopies()) {
      losing++;
    }
    if (pools.isEmpty()) {
      return; // Nothing placed yet, so nothing to move from.
    }
    Set<String> keep = new HashSet<>();
    next.forEach(p -> keep.add(p.id()));
    // Each new copy is read from a copy that leaves, while that one can still be read (a draining
    // pool's can), else from one that stays: as the planner copies.
    List<String> leaving = new ArrayList<>();
    String staying = null;
    for (String id : pools) {
      if (!keep.contains(id)) {
        leaving.add(id);
      } else if (staying == null) {
        staying = id;
      }
    }
    Set<String> now = new HashSet<>(pools);
    boolean moved = false;
    int nextLeaving = 0;
    for (Pool target : next) {
      if (now.contains(target.id())) {
        continue;
      }
      String source = nextLeaving < leaving.size() ? leaving.get(nextLeaving++) : null;
      // A copy whose pool goes down is made again as a repair: from a surviving copy, and not
      // bounded by the policy's bandwidth (only voluntary movement is).
      boolean repair = source != null && !readable(after, source);
      if (source == null || repair) {
        source = staying != null ? staying : source;
      }
      moved = true;
      copy(source, target, copyBytes, repair ? null : policy);
    }
    if (moved) {
      moving++;
    }
  }

  /**
   * Adds the objects of a shard, as its scans list them, for a change of the policies from {@code
   * was} to {@code now}: each object whose rule changes needs a copy on every pool of its new
   * placement that does not hold it. Objects whose rule stays are left out, whatever is still
   * pending for them.
   *
   * @param at the time the objects' ages are taken at (the policy clock)
   */
  public void addObjects(
      Shard shard,
      Map<String, PoolScan> scans,
      io.strata.policy.evaluate.PolicySet was,
      io.strata.policy.evaluate.PolicySet now,
      java.time.Instant at) {
    Map<String, List<String>> holders = new TreeMap<>();
    Map<String, ListedObject> objects = new HashMap<>();
    for (PoolScan scan : new TreeMap<>(scans).values()) {
      for (ListedObject o : scan.objects().values()) {
        holders.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(scan.pool());
        objects.putIfAbsent(o.key(), o);
        stored += o.size();
      }
    }
    shards++;
    boolean moved = false;
    boolean incomplete = false;
    // As the planner sees them: each instance of a study with its study's date and modality.
    Map<String, ObjectFacts.Study> studies = ObjectFacts.studies(objects.values());
    for (var e : holders.entrySet()) {
      ListedObject o = objects.get(e.getKey());
      Map<String, String> facts = ObjectFacts.metadata(o, studies);
      PlacementRule before = rule(was.governing(shard.dataset(), o.key(), facts), o, facts, at);
      io.strata.policy.evaluate.PolicyMatch governing =
          now.governing(shard.dataset(), o.key(), facts);
      PlacementRule after = rule(governing, o, facts, at);
      if (after == null || after.equals(before)) {
        continue;
      }
      List<Pool> next = placer.place(shard.placementKey(), after);
      incomplete |= next.size() < after.totalCopies();
      String policy = governing.policy().map(p -> p.name()).orElse(null);
      for (Pool target : next) {
        if (!e.getValue().contains(target.id())) {
          moved = true;
          copy(e.getValue().get(0), target, o.size(), policy);
        }
      }
    }
    if (moved) {
      moving++;
    }
    if (incomplete) {
      losing++;
    }
  }

  /** The rule the governing policy gives the object at {@code at}; null when none governs it. */
  private static PlacementRule rule(
      io.strata.policy.evaluate.PolicyMatch governing,
      ListedObject o,
      Map<String, String> facts,
      java.time.Instant at) {
    return governing
        .policy()
        .map(
            p ->
                io.strata.policy.evaluate.PolicyEvaluator.evaluate(
                        p,
                        new io.strata.policy.evaluate.StoredObject(
                            o.key(), o.size(), o.lastModified(), facts),
                        at)
                    .rule())
        .orElse(null);
  }

  /** Counts one copy to {@code target}, read from {@code source} (null when unknown). */
  private void copy(String source, Pool target, long copyBytes, String policy) {
    Pool from = source == null ? null : before.pool(source).orElse(null);
    String fromRoom = from == null ? "?" : domain(before, from, DomainLevel.ROOM);
    copies++;
    bytes += copyBytes;
    byTier.merge(target.tier(), new Move(1, copyBytes), (a, b) -> a.plus(copyBytes));
    String toRoom = domain(after, target, DomainLevel.ROOM);
    byLink.merge(fromRoom + " -> " + toRoom, new Move(1, copyBytes), (a, b) -> a.plus(copyBytes));
    if (from != null) {
      throughRack.merge(domain(before, from, DomainLevel.RACK), copyBytes, Long::sum);
    }
    throughRack.merge(domain(after, target, DomainLevel.RACK), copyBytes, Long::sum);
    throughRoom.merge(fromRoom, copyBytes, Long::sum);
    if (!toRoom.equals(fromRoom)) {
      throughRoom.merge(toRoom, copyBytes, Long::sum);
    }
    if (policy != null) {
      byPolicy.merge(policy, copyBytes, Long::sum);
    }
  }

  /** What the placements added so far would do, at the budgets {@code rates}. */
  public Report report(MovementBudgets.Rates rates) {
    Bound bound = new Bound();
    bound.consider("rack", throughRack, rates.rack());
    bound.consider("room", throughRoom, rates.room());
    for (var e : new TreeMap<>(byPolicy).entrySet()) {
      bound.consider(
          "policy",
          Map.of(e.getKey(), e.getValue()),
          rates.policies().getOrDefault(e.getKey(), 0L));
    }
    return new Report(
        shards,
        moving,
        copies,
        bytes,
        java.util.Collections.unmodifiableMap(new TreeMap<>(byTier)),
        java.util.Collections.unmodifiableMap(new TreeMap<>(byLink)),
        losing,
        stored,
        stored == 0 ? 0 : (double) bytes / stored,
        bound.name == null ? null : (long) Math.ceil(bound.seconds),
        bound.name);
  }

  /** Whether a copy on {@code pool} can be read in {@code map}: its pool is there and not down. */
  private static boolean readable(ClusterMap map, String pool) {
    return map.pool(pool)
        .map(p -> map.effectiveState(p) != io.strata.topology.DomainState.DOWN)
        .orElse(false);
  }

  /** The id of the pool's ancestor at {@code level}, or the pool's own id when it has none. */
  private static String domain(ClusterMap map, Pool pool, DomainLevel level) {
    return map.ancestor(pool, level).map(Domain::id).orElse(pool.id());
  }

  /** The slowest budget seen so far. */
  private static final class Bound {
    private double seconds = -1;
    private String name;

    void consider(String kind, Map<String, Long> bytes, long rate) {
      if (rate <= 0) {
        return;
      }
      List<String> ids = new ArrayList<>(bytes.keySet());
      ids.sort(null);
      for (String id : ids) {
        double s = (double) bytes.get(id) / rate;
        if (s > seconds) {
          seconds = s;
          name = kind + " " + id;
        }
      }
    }
  }
}
