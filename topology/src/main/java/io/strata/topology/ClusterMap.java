package io.strata.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The versioned snapshot of the fleet: failure domains, pools and tiers, with an epoch that
 * increases on every change. Immutable and safe to share between threads; every change returns a
 * new map with the next epoch.
 *
 * <p>A map is valid by construction: {@link #of} rejects duplicate ids, unknown parents, cycles,
 * children that are not below their parent's level, pools in unknown domains or of unknown tiers,
 * and negative capacities or weights, listing every problem at once.
 */
public final class ClusterMap {
  private final long epoch;
  private final Map<String, Tier> tiers;
  private final Map<String, Domain> domains;
  private final Map<String, Pool> pools;
  private final Map<String, List<String>> children;
  private final Map<String, Integer> slots;
  private final Map<String, List<CopyRemap>> remaps;

  private ClusterMap(
      long epoch,
      Map<String, Tier> tiers,
      Map<String, Domain> domains,
      Map<String, Pool> pools,
      Map<String, Integer> slots,
      Map<String, List<CopyRemap>> remaps) {
    this.epoch = epoch;
    this.tiers = tiers;
    this.domains = domains;
    this.pools = pools;
    this.slots = slots;
    this.remaps = remaps;
    Map<String, List<String>> kids = new HashMap<>();
    for (Domain d : domains.values()) {
      if (d.parent() != null) {
        kids.computeIfAbsent(d.parent(), k -> new ArrayList<>()).add(d.id());
      }
    }
    kids.replaceAll((k, v) -> List.copyOf(v));
    this.children = Map.copyOf(kids);
  }

  /**
   * Builds and validates a map with no placement exceptions; pools get slots in definition order.
   *
   * @throws TopologyException listing every problem, each naming the item
   */
  public static ClusterMap of(
      long epoch, Collection<Tier> tiers, Collection<Domain> domains, Collection<Pool> pools) {
    return of(epoch, tiers, domains, pools, Map.of(), List.of());
  }

  /**
   * Builds and validates a map.
   *
   * @param slots permanent slots of pools (see {@link #slot}); a pool missing here gets the next
   *     slot above the largest one given, in definition order
   * @param remaps placement exceptions; each must name existing pools, at most one per shard and
   *     source pool
   * @throws TopologyException listing every problem, each naming the item
   */
  public static ClusterMap of(
      long epoch,
      Collection<Tier> tiers,
      Collection<Domain> domains,
      Collection<Pool> pools,
      Map<String, Integer> slots,
      Collection<CopyRemap> remaps) {
    List<String> problems = new ArrayList<>();
    if (epoch < 0) {
      problems.add("epoch " + epoch + " is negative");
    }
    Map<String, Tier> tierById = new LinkedHashMap<>();
    for (Tier t : tiers) {
      if (tierById.putIfAbsent(t.name(), t) != null) {
        problems.add("tier '" + t.name() + "' is defined twice");
      }
      if (!(t.fillCeiling() > 0 && t.fillCeiling() <= 1)) {
        problems.add(
            "tier '" + t.name() + "': fillCeiling " + t.fillCeiling() + " is not in (0, 1]");
      }
      if (t.costPerTbMonth() < 0) {
        problems.add("tier '" + t.name() + "': costPerTbMonth is negative");
      }
    }
    Map<String, Domain> domainById = new LinkedHashMap<>();
    for (Domain d : domains) {
      if (domainById.putIfAbsent(d.id(), d) != null) {
        problems.add("domain '" + d.id() + "' is defined twice");
      }
    }
    for (Domain d : domainById.values()) {
      checkParent(d, domainById, problems);
    }
    Map<String, Pool> poolById = new LinkedHashMap<>();
    for (Pool p : pools) {
      if (poolById.putIfAbsent(p.id(), p) != null || domainById.containsKey(p.id())) {
        problems.add("pool '" + p.id() + "': the id is used twice");
      }
      if (p.domain() == null || p.domain().isBlank()) {
        problems.add("pool '" + p.id() + "' has no parent domain");
      } else if (!domainById.containsKey(p.domain())) {
        problems.add("pool '" + p.id() + "': parent domain '" + p.domain() + "' does not exist");
      }
      if (p.tier() == null || !tierById.containsKey(p.tier())) {
        problems.add(
            "pool '"
                + p.id()
                + "': tier '"
                + p.tier()
                + "' is unknown; tiers: "
                + tierById.keySet());
      }
      if (p.capacityBytes() < 0) {
        problems.add("pool '" + p.id() + "': capacity " + p.capacityBytes() + " is negative");
      }
      if (p.weight() < 0 || Double.isNaN(p.weight())) {
        problems.add("pool '" + p.id() + "': weight " + p.weight() + " is negative");
      }
      if (p.endpoint() == null || p.endpoint().isBlank()) {
        problems.add("pool '" + p.id() + "' has no endpoint");
      }
    }
    Map<String, Integer> slotById = MapExtras.assignSlots(poolById.keySet(), slots, problems);
    Map<String, List<CopyRemap>> remapsByShard = MapExtras.indexRemaps(remaps, poolById, problems);
    if (!problems.isEmpty()) {
      throw new TopologyException(problems);
    }
    return new ClusterMap(
        epoch,
        Collections.unmodifiableMap(tierById),
        Collections.unmodifiableMap(domainById),
        Collections.unmodifiableMap(poolById),
        slotById,
        remapsByShard);
  }

  private static void checkParent(Domain d, Map<String, Domain> byId, List<String> problems) {
    if (d.parent() == null) {
      if (d.level() != DomainLevel.REGION) {
        problems.add(d.level().label() + " '" + d.id() + "' has no parent");
      }
      return;
    }
    Domain parent = byId.get(d.parent());
    if (parent == null) {
      problems.add(
          d.level().label() + " '" + d.id() + "': parent '" + d.parent() + "' does not exist");
      return;
    }
    if (!d.level().isBelow(parent.level())) {
      problems.add(
          d.level().label()
              + " '"
              + d.id()
              + "' cannot sit inside "
              + parent.level().label()
              + " '"
              + parent.id()
              + "'");
    }
    Set<String> seen = new HashSet<>();
    for (Domain at = d; at != null && at.parent() != null; at = byId.get(at.parent())) {
      if (!seen.add(at.id())) {
        problems.add("domain '" + d.id() + "' is part of a cycle");
        return;
      }
    }
  }

  public long epoch() {
    return epoch;
  }

  /** Tiers by name, in definition order. */
  public Map<String, Tier> tiers() {
    return tiers;
  }

  /** Domains by id, in definition order. */
  public Map<String, Domain> domains() {
    return domains;
  }

  /** Pools by id, in definition order. */
  public Map<String, Pool> pools() {
    return pools;
  }

  public Optional<Domain> domain(String id) {
    return Optional.ofNullable(domains.get(id));
  }

  public Optional<Pool> pool(String id) {
    return Optional.ofNullable(pools.get(id));
  }

  /** The ids of the domains directly inside {@code domainId}. */
  public List<String> children(String domainId) {
    return children.getOrDefault(domainId, List.of());
  }

  /**
   * The domain at {@code level} that encloses the pool, or the pool's own domain when that is at
   * the level; empty when the pool sits above that level (a pool in a row has no rack).
   */
  public Optional<Domain> ancestor(Pool pool, DomainLevel level) {
    for (Domain d = domains.get(pool.domain()); d != null; d = domains.get(d.parent())) {
      if (d.level() == level) {
        return Optional.of(d);
      }
      if (d.parent() == null) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * The effective state of a pool: its own, worsened by any enclosing domain's (a pool in a
   * draining rack is draining; in a down room, down).
   */
  public DomainState effectiveState(Pool pool) {
    DomainState worst = pool.state();
    for (Domain d = domains.get(pool.domain()); d != null; d = domains.get(d.parent())) {
      if (d.state().ordinal() > worst.ordinal()) {
        worst = d.state();
      }
      if (d.parent() == null) {
        break;
      }
    }
    return worst;
  }

  /** True when {@code domainId} is the pool's domain or encloses it. */
  public boolean isUnder(Pool pool, String domainId) {
    for (Domain d = domains.get(pool.domain()); d != null; d = domains.get(d.parent())) {
      if (d.id().equals(domainId)) {
        return true;
      }
      if (d.parent() == null) {
        break;
      }
    }
    return false;
  }

  /** The pools in or below {@code domainId}, in definition order. */
  public List<Pool> poolsUnder(String domainId) {
    List<Pool> out = new ArrayList<>();
    for (Pool p : pools.values()) {
      if (isUnder(p, domainId)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The pool's permanent slot: a small number, unique in the map, that placement uses as the pool's
   * position in its draw, like a Ceph device id. A pool keeps its slot for as long as it is in the
   * map, whatever else is added or removed, which is what keeps placement stable across epochs.
   *
   * @throws IllegalArgumentException when the pool is not in this map
   */
  public int slot(String poolId) {
    Integer slot = slots.get(poolId);
    if (slot == null) {
      throw new IllegalArgumentException("pool '" + poolId + "' is not in the map");
    }
    return slot;
  }

  /** Slots by pool id, in pool definition order. */
  public Map<String, Integer> slots() {
    return slots;
  }

  /** The placement exceptions by shard id; see {@link CopyRemap}. */
  public Map<String, List<CopyRemap>> remaps() {
    return remaps;
  }

  /** The placement exceptions of one shard; empty when it has none. */
  public List<CopyRemap> remapsOf(String shard) {
    return remaps.getOrDefault(shard, List.of());
  }

  /** Every placement exception, shard by shard. */
  public List<CopyRemap> allRemaps() {
    List<CopyRemap> all = new ArrayList<>();
    remaps.values().forEach(all::addAll);
    return all;
  }

  /**
   * A new map with the next epoch and one pool replaced or added (by id). A replaced pool keeps its
   * slot; a new one gets the next free slot above every slot in use.
   */
  public ClusterMap withPool(Pool pool) {
    Map<String, Pool> next = new LinkedHashMap<>(pools);
    next.put(pool.id(), pool);
    return of(epoch + 1, tiers.values(), domains.values(), next.values(), slots, allRemaps());
  }

  /**
   * A new map with the next epoch without one pool; its slot is freed and exceptions naming it are
   * dropped.
   */
  public ClusterMap withoutPool(String poolId) {
    Map<String, Pool> next = new LinkedHashMap<>(pools);
    next.remove(poolId);
    Map<String, Integer> nextSlots = new LinkedHashMap<>(slots);
    nextSlots.remove(poolId);
    List<CopyRemap> kept =
        allRemaps().stream()
            .filter(r -> !r.from().equals(poolId) && !r.to().equals(poolId))
            .toList();
    return of(epoch + 1, tiers.values(), domains.values(), next.values(), nextSlots, kept);
  }

  /** A new map with the next epoch and one domain replaced or added (by id). */
  public ClusterMap withDomain(Domain domain) {
    Map<String, Domain> next = new LinkedHashMap<>(domains);
    next.put(domain.id(), domain);
    return of(epoch + 1, tiers.values(), next.values(), pools.values(), slots, allRemaps());
  }

  /** A new map with the next epoch whose placement exceptions are exactly {@code table}. */
  public ClusterMap withRemaps(Collection<CopyRemap> table) {
    return of(epoch + 1, tiers.values(), domains.values(), pools.values(), slots, table);
  }

  /** The same content at another epoch (used when loading a stored map). */
  public ClusterMap atEpoch(long newEpoch) {
    return of(newEpoch, tiers.values(), domains.values(), pools.values(), slots, allRemaps());
  }

  /** Maps are equal when epoch, tiers, domains, pools, slots and exceptions all are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterMap m
        && epoch == m.epoch
        && tiers.equals(m.tiers)
        && domains.equals(m.domains)
        && pools.equals(m.pools)
        && slots.equals(m.slots)
        && remaps.equals(m.remaps);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(epoch) * 31 + pools.hashCode();
  }

  @Override
  public String toString() {
    return "ClusterMap{epoch="
        + epoch
        + ", tiers="
        + tiers.size()
        + ", domains="
        + domains.size()
        + ", pools="
        + pools.size()
        + ", remaps="
        + remaps.size()
        + "}";
  }
}
