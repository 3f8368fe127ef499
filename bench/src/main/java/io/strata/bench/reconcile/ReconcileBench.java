package io.strata.bench.reconcile;

import io.strata.bench.BenchArgs;
import io.strata.bench.placement.BenchFleet;
import io.strata.fleet.reconcile.Balancing;
import io.strata.fleet.reconcile.PlacementTable;
import io.strata.fleet.reconcile.QueuedTask;
import io.strata.fleet.reconcile.RackBudget;
import io.strata.fleet.reconcile.Shard;
import io.strata.fleet.reconcile.TaskIndex;
import io.strata.protocol.task.KeyRange;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.placement.Balancer;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code strata bench reconcile --racks 10000 --shards 1000000}: builds a fleet in memory, records
 * the desired placement of every shard in the leader's {@link PlacementTable}, fails one rack, and
 * measures what the leader's round does with the new map: a new placement index, the table's update
 * (the shards placed on the rack placed again, a repair named for each lost copy) and every repair
 * task queued in the leader's in-memory queue index ({@link TaskIndex}). These are the classes the
 * live reconciler runs; only ZooKeeper's writes of the tasks are left out. Before the rack fails,
 * the live balancer's plan ({@link Balancing}) runs to convergence on the same fleet, each round's
 * exceptions written into the map and the table following it: {@code balance: tier_fill_before=<x>
 * tier_fill_after=<y> moved_share=<z>}. Last line: {@code reconcile: shards=<n> plan_ms=<t>
 * tasks=<k> live=true}.
 */
public final class ReconcileBench {
  private static final double BALANCE_TARGET = 1.05;

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
    List<PlacementRule> rules = List.of(rule);
    PlacementTable table = new PlacementTable(PlacementIndex.of(map));
    long t1 = System.nanoTime();
    for (Shard shard : shards(shards)) {
      table.place(shard, rules);
    }
    long t2 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "fleet: %d racks, %d pools, built in %d ms%n",
        racks,
        map.pools().size(),
        (t1 - t0) / 1_000_000);
    System.out.printf(
        Locale.ROOT,
        "desired state: %d shards x %d copies placed and recorded in %d ms (%.0f shards/s)%n",
        shards,
        copies,
        (t2 - t1) / 1_000_000,
        shards / ((t2 - t1) / 1e9));

    // The live balancer to convergence: rounds of exceptions written into the map, the table
    // following each map as the leader's does.
    long b0 = System.nanoTime();
    Balancer.Plan first = null;
    Balancer.Plan last = null;
    int moved = 0;
    for (int r = 0; r < 20; r++) {
      last = Balancing.plan(table, (shard, pools) -> 1, BALANCE_TARGET, Integer.MAX_VALUE);
      first = first == null ? last : first;
      if (last.moved() == 0) {
        break;
      }
      moved += last.moved();
      map = map.withRemaps(last.table());
      table.update(PlacementIndex.of(map));
      if (last.fillAfter() <= BALANCE_TARGET) {
        break;
      }
    }
    long b1 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "balancer: %d copies moved by %d exceptions in %d ms%n",
        moved,
        map.remaps().values().stream().mapToInt(List::size).sum(),
        (b1 - b0) / 1_000_000);
    System.out.printf(
        Locale.ROOT,
        "balance: tier_fill_before=%.3f tier_fill_after=%.3f moved_share=%.4f%n",
        first.fillBefore(),
        last.fillAfter(),
        movedShare(moved, shards, copies));

    Domain rack =
        map.domains().values().stream()
            .filter(d -> d.level() == DomainLevel.RACK)
            .skip(racks / 2)
            .findFirst()
            .orElseThrow();
    ClusterMap failed = map.withDomain(rack.withState(DomainState.DOWN));
    TaskIndex queue = new TaskIndex(RackBudget.NONE);
    Instant now = Instant.now();
    long p0 = System.nanoTime();
    PlacementTable.Changes changes = table.update(PlacementIndex.of(failed));
    for (PlacementTable.Repair repair : changes.repairs()) {
      queue.store(null, QueuedTask.waiting(repair.task(failed.epoch(), 0), now));
    }
    long p1 = System.nanoTime();
    Map<String, Integer> perTarget = new HashMap<>();
    changes.repairs().forEach(r -> perTarget.merge(r.target(), 1, Integer::sum));
    System.out.printf(
        Locale.ROOT,
        "rack %s down: %d shards placed again, %d changed, %d copies to re-create on %d pools%n",
        rack.id(),
        changes.placedAgain(),
        changes.changed().size(),
        changes.repairs().size(),
        perTarget.size());
    System.out.printf(
        Locale.ROOT,
        "reconcile: shards=%d plan_ms=%d tasks=%d live=true%n",
        shards,
        (p1 - p0) / 1_000_000,
        changes.repairs().size());
  }

  /** {@code moved_share}: the copies the balancer moved over all copies of {@code shards}. */
  static double movedShare(long moved, int shards, int copies) {
    return moved / ((double) shards * copies);
  }

  /** {@code n} shards over 97 datasets, each dataset's shards tiling its key space. */
  private static Shard[] shards(int n) {
    int datasets = Math.min(97, n);
    Shard[] out = new Shard[n];
    for (int i = 0; i < n; i++) {
      int d = i % datasets;
      String start = i < datasets ? "" : key(i);
      String end = i + datasets < n ? key(i + datasets) : "";
      out[i] = new Shard("ds-" + d + ":" + i, "ds-" + d, new KeyRange(start, end));
    }
    return out;
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "k%09d", i);
  }
}
