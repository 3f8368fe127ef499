package io.strata.bench.placement;

import io.strata.bench.BenchArgs;
import io.strata.bench.Samples;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.placement.Balancer;
import io.strata.topology.placement.PlacementIndex;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import io.strata.topology.placement.TierCopies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Placement at fleet scale, against crushtool on the same maps. Prints speed (three-copy mappings
 * per second from scratch, one thread), movement when 10 racks are added to room 0 (copies whose
 * pool changed over the optimum: total copies times added weight over new total weight), pool fill
 * (max over mean) from placement alone and after the balancer, and crushtool's speed and movement
 * when it is on PATH. The last line is the summary.
 *
 * <pre>
 * java -cp $(cat bench/target/classpath.txt):bench/target/classes \
 *   io.strata.bench.placement.PlacementBench --rooms 20 --racks-per-room 500 --nodes-per-rack 4 \
 *   --copies 3 --spread rack --shards 100000
 * </pre>
 *
 * Flags: {@code --fill-shards} (default pools x 100 / copies: 100 copies per pool), {@code
 * --added-racks} (10), {@code --max-changes} per balancer round (50000), {@code --target} fill
 * (1.05), {@code --runs} measured runs of each side's speed (5) after {@code --warmup} runs left
 * out (2), {@code --no-crushtool}.
 *
 * <p>Both sides' speed is timed alike: the same warm-up and number of runs, the median with the
 * spread of the runs. A Strata run is one pass over the shards in this JVM; a crushtool run is one
 * process that maps as many inputs and prints no mapping, less a one-input run (process start and
 * map load). Movement is counted over the larger sample ({@code max(shards, fill-shards)}) for
 * both, from mappings taken outside the timed runs.
 */
public final class PlacementBench {
  private PlacementBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a =
        BenchArgs.parse(
            args,
            "strata bench placement [--rooms N] [--racks-per-room N] [--nodes-per-rack N]"
                + " [--copies N] [--spread LEVEL] [--shards N] [--fill-shards N] [--added-racks N]"
                + " [--max-changes N] [--target F] [--runs N] [--warmup N] [--no-crushtool]");
    int runs = a.integer("runs", 5, 1);
    int warmup = a.integer("warmup", 2, 0);
    int rooms = a.integer("rooms", 20, 1);
    int racksPerRoom = a.integer("racks-per-room", 500, 1);
    int nodes = a.integer("nodes-per-rack", 4, 1);
    int copies = a.integer("copies", 3, 1);
    String level = a.text("spread", "rack");
    DomainLevel spread =
        DomainLevel.parse(level)
            .orElseThrow(() -> a.bad("--spread names no failure-domain level: '" + level + "'"));
    int shards = a.integer("shards", 100000, 1);
    int added = a.integer("added-racks", 10, 0);
    int maxChanges = a.integer("max-changes", 50000, 1);
    double target = a.decimal("target", 1.05);
    if (target < 1.0) {
      throw a.bad("--target is a max/mean pool fill, at least 1, got " + target);
    }
    boolean crush = !a.has("no-crushtool") && Crushtool.onPath();
    PlacementRule rule =
        new PlacementRule(spread, List.of(new TierCopies(BenchFleet.TIER, copies)));

    long t0 = System.nanoTime();
    ClusterMap before = BenchFleet.build(rooms, racksPerRoom, nodes);
    ClusterMap after = BenchFleet.withRacksAdded(before, added, nodes);
    long t1 = System.nanoTime();
    PlacementIndex index = PlacementIndex.of(before);
    long t2 = System.nanoTime();
    int pools = before.pools().size();
    System.out.printf(
        Locale.ROOT,
        "fleet: %d rooms x %d racks x %d nodes = %d pools; rule %s; map build %.2f s, index %.3f s%n",
        rooms,
        racksPerRoom,
        nodes,
        pools,
        rule,
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9);

    String[] ids = ids(shards);
    Samples rate = rates(index.placer(), rule, ids, warmup, runs);
    System.out.printf(
        Locale.ROOT,
        "strata: %s three-copy mappings/s (one thread; %d warm-up runs left out)%n",
        rate.describe("%.0f"),
        warmup);

    // Movement over the larger sample: at 100,000 shards the optimum is about 300 copies, so
    // chance alone spreads the measured ratio by about 6%.
    int fillShards = a.integer("fill-shards", pools * 100 / copies, 1);
    int sample = Math.max(shards, fillShards);
    String[] many = sample == shards ? ids : ids(sample);
    double optimum = optimum(before, after, (long) sample * copies);
    long moved =
        moved(
            placeAll(index.placer(), rule, many),
            placeAll(PlacementIndex.of(after).placer(), rule, many));
    double movement = moved / optimum;
    double deviation = movementSd(optimum);
    System.out.printf(
        Locale.ROOT,
        "strata: adding %d racks over %d shards moved %d copies; optimum %.1f; movement %.3f"
            + " (+/- %.3f, one standard deviation)%n",
        added,
        sample,
        moved,
        optimum,
        movement,
        deviation);
    double[] fill = fill(before, rule, fillShards, target, maxChanges);

    Samples crushRates = null;
    double crushMovement = Double.NaN;
    if (crush) {
      Path dir = Files.createTempDirectory("strata-crush");
      Path bin0 = Crushtool.compile(dir, "before", CrushMapWriter.write(before, rule));
      Path bin1 = Crushtool.compile(dir, "after", CrushMapWriter.write(after, rule));
      crushRates = Crushtool.rates(bin0, shards, copies, warmup, runs);
      long crushMoved =
          moved(Crushtool.mappings(bin0, sample, copies), Crushtool.mappings(bin1, sample, copies));
      System.out.printf(
          Locale.ROOT,
          "crushtool: %s mappings/s (process start and map load subtracted; %d warm-up runs left"
              + " out); adding racks over %d shards moved %d copies, movement %.3f%n",
          crushRates.describe("%.0f"),
          warmup,
          sample,
          crushMoved,
          crushMoved / optimum);
      crushMovement = crushMoved / optimum;
    } else {
      System.out.println(
          "crushtool: not on PATH (Debian package ceph-base: sudo apt-get install ceph-base) or"
              + " --no-crushtool given; skipped");
    }
    System.out.println(lastLine(rate, crushRates, movement, deviation, crushMovement, fill));
  }

  /** One standard deviation of chance in a movement ratio over {@code optimum} copies. */
  static double movementSd(double optimum) {
    return 1 / Math.sqrt(optimum);
  }

  /**
   * The last line: Strata's median rate, crushtool's and their ratio with its spread ({@code crush}
   * null and {@code crushMovement} NaN when crushtool did not run), the movements, and the max/mean
   * fill {@code fill} before and after the balancer.
   */
  static String lastLine(
      Samples strata,
      Samples crush,
      double movement,
      double movementSd,
      double crushMovement,
      double[] fill) {
    String crushRate = "n/a";
    String[] speedup = {"n/a", "n/a", "n/a"};
    if (crush != null) {
      crushRate = String.format(Locale.ROOT, "%.0f", crush.median());
      double[] ratio = strata.ratioTo(crush);
      for (int i = 0; i < 3; i++) {
        speedup[i] = String.format(Locale.ROOT, "%.1f", ratio[i]);
      }
    }
    return String.format(
        Locale.ROOT,
        "placement: strata=%.0f/s crushtool=%s/s speedup=%s runs=%d speedup_min=%s"
            + " speedup_max=%s movement=%.3f movement_sd=%.3f crush_movement=%s fill_raw=%.3f"
            + " fill_balanced=%.3f",
        strata.median(),
        crushRate,
        speedup[0],
        strata.runs(),
        speedup[1],
        speedup[2],
        movement,
        movementSd,
        Double.isNaN(crushMovement) ? "n/a" : String.format(Locale.ROOT, "%.3f", crushMovement),
        fill[0],
        fill[1]);
  }

  private static String[] ids(int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "shard-" + i;
    }
    return ids;
  }

  /**
   * Mappings per second of each measured pass over {@code ids}, after {@code warmup} passes left
   * out: placement only, as crushtool's rate is its mapping only.
   */
  private static Samples rates(
      Placer placer, PlacementRule rule, String[] ids, int warmup, int runs) {
    int[] out = new int[rule.totalCopies()];
    long sink = 0;
    double[] rates = new double[runs];
    for (int pass = -warmup; pass < runs; pass++) {
      long t0 = System.nanoTime();
      for (String id : ids) {
        sink += placer.placeSlots(id, rule, out) + out[0];
      }
      long t1 = System.nanoTime();
      if (pass >= 0) {
        rates[pass] = rate(ids.length, t1 - t0);
      }
    }
    if (sink == 42) {
      System.out.println();
    }
    return Samples.of(rates);
  }

  /** Mappings per second: {@code mappings} placed in {@code nanos}. */
  static double rate(int mappings, long nanos) {
    return mappings * 1e9 / nanos;
  }

  private static int[][] placeAll(Placer placer, PlacementRule rule, String[] ids) {
    int[][] all = new int[ids.length][];
    int[] out = new int[rule.totalCopies()];
    for (int i = 0; i < ids.length; i++) {
      int n = placer.placeSlots(ids[i], rule, out);
      all[i] = java.util.Arrays.copyOf(out, n);
    }
    return all;
  }

  /** Copies whose pool changed: per shard, pools in the new set that were not in the old. */
  static long moved(int[][] before, int[][] after) {
    long moved = 0;
    for (int i = 0; i < before.length; i++) {
      for (int q : after[i]) {
        boolean kept = false;
        for (int p : before[i]) {
          kept |= p == q;
        }
        moved += kept ? 0 : 1;
      }
    }
    return moved;
  }

  /** The fewest copies that must move: those the added weight's share of all copies. */
  static double optimum(ClusterMap before, ClusterMap after, long copies) {
    double w0 = before.pools().values().stream().mapToDouble(p -> p.weight()).sum();
    double w1 = after.pools().values().stream().mapToDouble(p -> p.weight()).sum();
    return copies * (w1 - w0) / w1;
  }

  /** Max over mean fill from placement alone and after balancer rounds. */
  private static double[] fill(
      ClusterMap map, PlacementRule rule, int shards, double target, int maxChanges) {
    List<String> ids = new ArrayList<>(List.of(ids(shards)));
    ClusterMap current = map;
    double raw = Double.NaN;
    double balanced = Double.NaN;
    int moved = 0;
    long t0 = System.nanoTime();
    for (int round = 0; round < 20; round++) {
      Balancer.Plan plan =
          Balancer.plan(PlacementIndex.of(current), ids, s -> rule, target, maxChanges);
      if (round == 0) {
        raw = plan.fillBefore();
      }
      balanced = plan.fillAfter();
      moved += plan.moved();
      current = current.withRemaps(plan.table());
      System.out.printf(
          Locale.ROOT,
          "balancer round %d: moved %d copies, fill %.3f -> %.3f, table %d%n",
          round + 1,
          plan.moved(),
          plan.fillBefore(),
          plan.fillAfter(),
          plan.table().size());
      if (plan.fillAfter() <= target || plan.moved() == 0) {
        break;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "fill: %d shards (%d copies per pool on average): max/mean %.3f raw, %.3f balanced;"
            + " %d copies moved (%.2f%% of copies) in %.1f s%n",
        shards,
        (long) shards * rule.totalCopies() / map.pools().size(),
        raw,
        balanced,
        moved,
        100.0 * moved / ((double) shards * rule.totalCopies()),
        (System.nanoTime() - t0) / 1e9);
    return new double[] {raw, balanced};
  }
}
