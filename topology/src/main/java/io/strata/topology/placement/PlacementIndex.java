package io.strata.topology.placement;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything placement needs from one cluster map, in flat arrays: build it once per epoch, then
 * place any number of shards with {@link #placer()}. Immutable and safe to share between threads.
 *
 * <p>Placement is straw2 over pools: each pool draws {@code ln(u) / weight} with {@code u} uniform
 * from the shard's hash, and the copies go to the highest draws whose spread-level domains are
 * distinct. Evaluating every pool would cost one hash per pool (40,000 at 10,000 racks), so the
 * draws are generated lazily through a tournament tree over pool slots: each tree node knows the
 * largest {@code u} below it (drawn top-down, exactly as the maxima of independent uniforms are
 * distributed), and {@link Placer} searches best-first with the bound {@code ln(max u) / max
 * weight}, expanding only the few nodes that can hold a winner. The result is the flat draw's
 * result, so a change to one pool moves copies only to or from that pool.
 *
 * <p>The tree covers 2^{@value #DEPTH} slots whatever the map's size, so adding pools never
 * reshapes it; only its lower left corner, {@link #regionDepth()} levels deep, is stored.
 */
public final class PlacementIndex {
  /** Depth of the slot tree: leaves are slots {@code 0 .. 2^DEPTH - 1}. */
  static final int DEPTH = 31;

  private final ClusterMap map;
  private final int regionDepth;
  private final Pool[] poolBySlot;
  private final String[] tierBySlot;
  private final double[] weightBySlot;
  private final int[][] domainAt;
  private final Map<String, double[]> maxWeightByTier;
  private final Map<String, Integer> slotByPool;

  private PlacementIndex(ClusterMap map) {
    this.map = map;
    int slots = 1;
    for (int s : map.slots().values()) {
      slots = Math.max(slots, s + 1);
    }
    int k = 1;
    while ((1 << k) < slots) {
      k++;
    }
    this.regionDepth = k;
    int width = 1 << k;
    this.poolBySlot = new Pool[width];
    this.tierBySlot = new String[width];
    this.weightBySlot = new double[width];
    this.domainAt = new int[DomainLevel.values().length][width];
    for (int[] row : domainAt) {
      Arrays.fill(row, -1);
    }
    Map<String, Integer> domainNumber = new HashMap<>();
    for (String id : map.domains().keySet()) {
      domainNumber.put(id, domainNumber.size());
    }
    this.slotByPool = new HashMap<>(map.slots());
    this.maxWeightByTier = new HashMap<>();
    for (Pool p : map.pools().values()) {
      int slot = map.slot(p.id());
      poolBySlot[slot] = p;
      tierBySlot[slot] = p.tier();
      boolean up = map.effectiveState(p).acceptsNewCopies();
      weightBySlot[slot] = up && p.weight() > 0 ? p.weight() : 0;
      for (Domain d = map.domains().get(p.domain()); d != null; ) {
        domainAt[d.level().ordinal()][slot] = domainNumber.get(d.id());
        d = d.parent() == null ? null : map.domains().get(d.parent());
      }
      maxWeightByTier.computeIfAbsent(p.tier(), t -> new double[2 * width]);
    }
    for (Map.Entry<String, double[]> e : maxWeightByTier.entrySet()) {
      double[] tree = e.getValue();
      for (int s = 0; s < width; s++) {
        if (e.getKey().equals(tierBySlot[s])) {
          tree[width + s] = weightBySlot[s];
        }
      }
      for (int i = width - 1; i >= 1; i--) {
        tree[i] = Math.max(tree[2 * i], tree[2 * i + 1]);
      }
    }
  }

  /** Builds the index of a map; costs about one pass over the map's pools and domains. */
  public static PlacementIndex of(ClusterMap map) {
    return new PlacementIndex(map);
  }

  /** The map this index was built from. */
  public ClusterMap map() {
    return map;
  }

  /** A new placer over this index; a placer is for one thread at a time. */
  public Placer placer() {
    return new Placer(this);
  }

  /** Depth of the stored part of the slot tree: it holds 2^regionDepth slots. */
  public int regionDepth() {
    return regionDepth;
  }

  /** The pool at a slot, or null when the slot is free. */
  public Pool pool(int slot) {
    return slot >= 0 && slot < poolBySlot.length ? poolBySlot[slot] : null;
  }

  /** The slot of a pool, or -1 when the map has no such pool. */
  public int slotOf(String poolId) {
    Integer s = slotByPool.get(poolId);
    return s == null ? -1 : s;
  }

  /** The placement weight of a slot: 0 unless its pool is up with a positive weight. */
  public double weight(int slot) {
    return weightBySlot[slot];
  }

  /** The tier of the pool at a slot, or null when the slot is free. */
  public String tier(int slot) {
    return tierBySlot[slot];
  }

  /** A dense number for the domain at {@code level} enclosing the slot's pool, or -1 if none. */
  public int domainAt(DomainLevel level, int slot) {
    return domainAt[level.ordinal()][slot];
  }

  int[] domainRow(DomainLevel level) {
    return domainAt[level.ordinal()];
  }

  /** The max-weight tree of a tier (heap order, leaves at 2^regionDepth), or null. */
  double[] maxWeights(String tier) {
    return maxWeightByTier.get(tier);
  }
}
