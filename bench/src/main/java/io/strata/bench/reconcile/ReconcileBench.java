package io.strata.bench.reconcile;

import io.strata.bench.BenchArgs;
import io.strata.bench.placement.BenchFleet;
import io.strata.fleet.reconcile.RepairPlanner;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code strata bench reconcile --racks 10000 --shards 1000000}: builds a fleet in memory, computes
 * the desired placement of every shard, fails one rack, and measures the time to produce the repair
 * plan (new map index, affected shards, their new placement and a source for each new copy). Last
 * line: {@code reconcile: shards=<n> plan_ms=<t> tasks=<k>}.
 */
public final class ReconcileBench {
  private ReconcileBench() {}

  public static void main(String[] args) {
    BenchArgs opts =
        BenchArgs.parse(
            args,
            "strata bench reconcile [--racks N] [--shards N] [--rooms N] [--nodes-per-rack N]"
                + " [--copies N]");
    int racks = opts.integer("racks", 10000, 1);
    int shards = opts.integer("shards", 1000000, 1);
    int rooms = opts.integer("rooms", 20, 1);
    int nodesPerRack = opts.integer("nodes-per-rack", 4, 1);
    int copies = opts.integer("copies", 3, 1);
    if (racks % rooms != 0) {
      throw opts.bad("--racks (" + racks + ") must be a multiple of --rooms (" + rooms + ")");
    }
    long t0 = System.nanoTime();
    ClusterMap map = BenchFleet.build(rooms, racks / rooms, nodesPerRack);
    PlacementRule rule =
        new PlacementRule(DomainLevel.RACK, List.of(new TierCopies(BenchFleet.TIER, copies)));
    String[] ids = new String[shards];
    for (int i = 0; i < shards; i++) {
      ids[i] = "ds-" + (i % 97) + ":" + i;
    }
    PlacementIndex index = PlacementIndex.of(map);
    long t1 = System.nanoTime();
    RepairPlanner.Placements placements = RepairPlanner.place(index, ids, rule);
    long t2 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "fleet: %d racks, %d pools, built in %d ms%n",
        racks,
        map.pools().size(),
        (t1 - t0) / 1_000_000);
    System.out.printf(
        Locale.ROOT,
        "desired state: %d shards x %d copies placed in %d ms (%.0f shards/s)%n",
        shards,
        copies,
        (t2 - t1) / 1_000_000,
        shards / ((t2 - t1) / 1e9));

    Domain rack =
        map.domains().values().stream()
            .filter(d -> d.level() == DomainLevel.RACK)
            .skip(racks / 2)
            .findFirst()
            .orElseThrow();
    ClusterMap failed = map.withDomain(rack.withState(DomainState.DOWN));
    long p0 = System.nanoTime();
    PlacementIndex after = PlacementIndex.of(failed);
    List<RepairPlanner.Repair> repairs = RepairPlanner.repairs(placements, after, rule);
    long p1 = System.nanoTime();
    Map<String, Integer> perTarget = new HashMap<>();
    repairs.forEach(r -> perTarget.merge(r.target(), 1, Integer::sum));
    System.out.printf(
        Locale.ROOT,
        "rack %s down: %d copies to re-create on %d pools%n",
        rack.id(),
        repairs.size(),
        perTarget.size());
    System.out.printf(
        Locale.ROOT,
        "reconcile: shards=%d plan_ms=%d tasks=%d%n",
        shards,
        (p1 - p0) / 1_000_000,
        repairs.size());
  }
}
