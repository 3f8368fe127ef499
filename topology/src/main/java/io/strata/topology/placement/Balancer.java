package io.strata.topology.placement;

import io.strata.topology.CopyRemap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Evens out pool fill with a small table of placement exceptions, like Ceph's upmap balancer.
 * Hashing alone leaves pools uneven (at 100 copies per pool the fullest holds about 1.4 times its
 * share); the balancer moves single copies from pools above {@code target} times their weighted
 * share to the emptiest pools of the same tier, then fills the pools below {@code 2 - target} times
 * their share from the fullest (a pool just added starts far below it, and draining the fullest
 * alone would leave it there, as Ceph's upmap balancer also works on both ends), only where the
 * move keeps the rule's spread, and at most {@code maxChanges} copies per round. Pure: it reads the
 * index and the shard list and returns a plan; the caller stores {@link Plan#table()} with {@code
 * ClusterMap.withRemaps}.
 *
 * <p>A pool's share is the copies its tier holds times its weight over the tier's eligible weight;
 * its fill is its copies over its share, so the mean fill is 1. Exceptions already in the map stay
 * when they still hold, and every copy counts where it actually lies.
 */
public final class Balancer {
  private Balancer() {}

  /**
   * The outcome of one round.
   *
   * @param table every exception the map should hold after this round (kept and new)
   * @param moved copies this round moved, which is the number of new or changed exceptions
   * @param fillBefore the largest pool fill (copies over weighted share) before the round
   * @param fillAfter the largest pool fill after it
   * @param tierFill per tier, the largest fill of its pools after the round (max over mean, since
   *     the mean fill of a tier is 1)
   */
  public record Plan(
      List<CopyRemap> table,
      int moved,
      double fillBefore,
      double fillAfter,
      Map<String, Double> tierFill) {
    public Plan {
      table = List.copyOf(table);
      tierFill = Map.copyOf(tierFill);
    }
  }

  /**
   * Plans one round.
   *
   * @param index the index of the current map (its exceptions included)
   * @param shards the shards to balance
   * @param ruleOf each shard's placement rule
   * @param target the largest fill allowed, e.g. 1.05
   * @param maxChanges the most copies this round may move
   */
  public static Plan plan(
      PlacementIndex index,
      List<String> shards,
      Function<String, PlacementRule> ruleOf,
      double target,
      int maxChanges) {
    List<PlacementRule> rules = new ArrayList<>(shards.size());
    shards.forEach(s -> rules.add(ruleOf.apply(s)));
    return plan(index, shards, rules, null, target, maxChanges);
  }

  /**
   * Plans one round over weighted entries: the same placement key may come once per rule its
   * shard's objects follow, and each entry weighs what its copies hold (objects or bytes), so that
   * fill is measured in what pools store rather than in shard copies.
   *
   * @param keys the placement key of each entry
   * @param rules the rule of each entry
   * @param weights the weight of each entry's copies; null for 1 each
   */
  public static Plan plan(
      PlacementIndex index,
      List<String> keys,
      List<PlacementRule> rules,
      double[] weights,
      double target,
      int maxChanges) {
    State state = new State(index, keys, rules, weights);
    double before = state.maxFill();
    int moved = 0;
    for (int p : state.overfull(target)) {
      moved += state.drain(p, target, maxChanges - moved);
      if (moved >= maxChanges) {
        break;
      }
    }
    Map<String, List<Integer>> donors = state.byFillDescending();
    for (int q : state.underfull(2 - target)) {
      if (moved >= maxChanges) {
        break;
      }
      moved += state.fill(q, donors.get(state.tierOf(q)), target, maxChanges - moved);
    }
    return new Plan(state.table(), moved, before, state.maxFill(), state.tierFill());
  }

  /** Placement of every shard, copy counts per pool and the receivers, per tier. */
  private static final class State {
    private final PlacementIndex index;
    private final Placer placer;
    private final List<String> shards;
    private final PlacementRule[] rules;
    private final int[] offset;
    private final int[] raw;
    private final int[] placed;
    private final double[] weight;
    private final double[] count;
    private final double[] share;
    private final int[] firstOn;
    private final int[] shardsOn;
    private final Map<String, TreeSet<Integer>> receivers = new HashMap<>();

    State(
        PlacementIndex index, List<String> shards, List<PlacementRule> ruleList, double[] weights) {
      this.index = index;
      this.placer = index.placer();
      this.shards = shards;
      this.rules = ruleList.toArray(PlacementRule[]::new);
      this.weight = weights != null ? weights : filled(shards.size());
      this.offset = new int[shards.size() + 1];
      int total = 0;
      for (int s = 0; s < shards.size(); s++) {
        total += rules[s].totalCopies();
      }
      this.raw = new int[total];
      this.placed = new int[total];
      int width = 1 << index.regionDepth();
      this.count = new double[width];
      int[] copiesOn = new int[width];
      int[] r = new int[16];
      int[] e = new int[16];
      int at = 0;
      for (int s = 0; s < shards.size(); s++) {
        int copies = rules[s].totalCopies();
        if (r.length < copies) {
          r = new int[copies];
          e = new int[copies];
        }
        int n = placer.placeBoth(shards.get(s), rules[s], r, e);
        offset[s] = at;
        for (int j = 0; j < n; j++) {
          raw[at] = r[j];
          placed[at] = e[j];
          count[e[j]] += weight[s];
          copiesOn[e[j]]++;
          at++;
        }
        for (int j = n; j < copies; j++) {
          raw[at] = -1;
          placed[at] = -1;
          at++;
        }
      }
      offset[shards.size()] = at;
      this.share = shares(width);
      this.firstOn = new int[width + 1];
      for (int slot = 0; slot < width; slot++) {
        firstOn[slot + 1] = firstOn[slot] + copiesOn[slot];
      }
      this.shardsOn = new int[firstOn[width]];
      int[] fill = java.util.Arrays.copyOf(firstOn, width);
      for (int s = 0; s < shards.size(); s++) {
        for (int c = offset[s]; c < offset[s + 1]; c++) {
          if (placed[c] >= 0) {
            shardsOn[fill[placed[c]]++] = s;
          }
        }
      }
      for (int slot = 0; slot < width; slot++) {
        if (share[slot] > 0 && count[slot] < share[slot]) {
          receiversOf(slot).add(slot);
        }
      }
    }

    private static double[] filled(int n) {
      double[] ones = new double[n];
      java.util.Arrays.fill(ones, 1);
      return ones;
    }

    /** Per tier, the largest fill of its pools. */
    Map<String, Double> tierFill() {
      Map<String, Double> out = new java.util.TreeMap<>();
      for (int slot = 0; slot < count.length; slot++) {
        if (share[slot] > 0) {
          out.merge(index.tier(slot), count[slot] / share[slot], Math::max);
        }
      }
      return out;
    }

    private double[] shares(int width) {
      Map<String, double[]> tierTotals = new HashMap<>();
      for (int slot = 0; slot < width; slot++) {
        if (index.weight(slot) > 0) {
          double[] t = tierTotals.computeIfAbsent(index.tier(slot), k -> new double[2]);
          t[0] += count[slot];
          t[1] += index.weight(slot);
        }
      }
      double[] shares = new double[width];
      for (int slot = 0; slot < width; slot++) {
        if (index.weight(slot) > 0) {
          double[] t = tierTotals.get(index.tier(slot));
          shares[slot] = t[0] * index.weight(slot) / t[1];
        }
      }
      return shares;
    }

    private TreeSet<Integer> receiversOf(int slot) {
      return receivers.computeIfAbsent(
          index.tier(slot),
          t ->
              new TreeSet<>(
                  Comparator.comparingDouble((Integer q) -> count[q] / share[q])
                      .thenComparingInt(q -> q)));
    }

    double maxFill() {
      double max = 0;
      for (int slot = 0; slot < count.length; slot++) {
        if (share[slot] > 0) {
          max = Math.max(max, count[slot] / share[slot]);
        }
      }
      return max;
    }

    /** Pools above target, fullest first. */
    List<Integer> overfull(double target) {
      List<Integer> over = new ArrayList<>();
      for (int slot = 0; slot < count.length; slot++) {
        if (share[slot] > 0 && count[slot] > target * share[slot]) {
          over.add(slot);
        }
      }
      over.sort(
          Comparator.comparingDouble((Integer q) -> -count[q] / share[q]).thenComparingInt(q -> q));
      return over;
    }

    String tierOf(int slot) {
      return index.tier(slot);
    }

    /** Per tier, its pools fullest first, as they are now. */
    Map<String, List<Integer>> byFillDescending() {
      Map<String, List<Integer>> out = new HashMap<>();
      for (int slot = 0; slot < count.length; slot++) {
        if (share[slot] > 0) {
          out.computeIfAbsent(index.tier(slot), t -> new ArrayList<>()).add(slot);
        }
      }
      out.values()
          .forEach(
              l ->
                  l.sort(
                      Comparator.comparingDouble((Integer p) -> -count[p] / share[p])
                          .thenComparingInt(p -> p)));
      return out;
    }

    /** Pools below {@code floor} times their share, emptiest first. */
    List<Integer> underfull(double floor) {
      List<Integer> under = new ArrayList<>();
      for (int slot = 0; slot < count.length; slot++) {
        if (share[slot] > 0 && count[slot] < floor * share[slot]) {
          under.add(slot);
        }
      }
      under.sort(
          Comparator.comparingDouble((Integer q) -> count[q] / share[q]).thenComparingInt(q -> q));
      return under;
    }

    /**
     * Moves copies onto {@code q} from the fullest pools of its tier until it holds {@code 2 -
     * target} times its share; a donor gives only while it stays at that floor or above and the
     * copy leaves {@code q} within target. Returns how many moved.
     */
    int fill(int q, List<Integer> donors, double target, int budget) {
      double floor = 2 - target;
      int moved = 0;
      TreeSet<Integer> pool = receiversOf(q);
      for (int p : donors) {
        if (p == q || count[p] <= share[p]) {
          continue; // the order is as of the start of the phase; fills have changed since
        }
        for (int i = firstOn[p]; i < firstOn[p + 1]; i++) {
          if (moved >= budget || count[q] >= floor * share[q]) {
            return moved;
          }
          int s = shardsOn[i];
          int from = offset[s];
          int n = offset[s + 1] - from;
          int j = indexOf(placed, from, n, p);
          if (j < 0
              || count[p] - weight[s] < floor * share[p]
              || count[q] + weight[s] > target * share[q]) {
            continue;
          }
          int[] copy = java.util.Arrays.copyOfRange(placed, from, from + n);
          if (!placer.canTake(copy, n, j, q, index.domainRow(rules[s].spread()))) {
            continue;
          }
          move(pool, s, from + j, p, q);
          moved++;
        }
      }
      return moved;
    }

    /**
     * Moves the copy at {@code c} of shard {@code s} from {@code p} to {@code q}, keeping the
     * receivers of the tier ({@code pool}, ordered by fill) in order.
     */
    private void move(TreeSet<Integer> pool, int s, int c, int p, int q) {
      pool.remove(q);
      placed[c] = q;
      count[p] -= weight[s];
      count[q] += weight[s];
      if (count[q] < share[q]) {
        pool.add(q);
      }
    }

    /** Moves copies off {@code p} until it is within target; returns how many moved. */
    int drain(int p, double target, int budget) {
      int moved = 0;
      TreeSet<Integer> pool = receiversOf(p);
      for (int i = firstOn[p]; i < firstOn[p + 1] && moved < budget; i++) {
        if (count[p] <= target * share[p]) {
          break;
        }
        int s = shardsOn[i];
        int from = offset[s];
        int n = offset[s + 1] - from;
        int j = indexOf(placed, from, n, p);
        if (j < 0) {
          continue;
        }
        int q = receiver(pool, s, from, n, j);
        if (q < 0) {
          continue;
        }
        move(pool, s, from + j, p, q);
        moved++;
      }
      return moved;
    }

    /** The emptiest pool that may take copy {@code j} of shard {@code s}, or -1. */
    private int receiver(TreeSet<Integer> pool, int s, int from, int n, int j) {
      int[] domains = index.domainRow(rules[s].spread());
      int[] copy = java.util.Arrays.copyOfRange(placed, from, from + n);
      int tried = 0;
      for (int q : pool) {
        if (placer.canTake(copy, n, j, q, domains)) {
          return q;
        }
        if (++tried == 64) {
          break;
        }
      }
      return -1;
    }

    private static int indexOf(int[] a, int from, int n, int v) {
      for (int j = 0; j < n; j++) {
        if (a[from + j] == v) {
          return j;
        }
      }
      return -1;
    }

    List<CopyRemap> table() {
      List<CopyRemap> table = new ArrayList<>();
      for (int s = 0; s < rules.length; s++) {
        for (int c = offset[s]; c < offset[s + 1]; c++) {
          if (placed[c] != raw[c] && raw[c] >= 0) {
            table.add(
                new CopyRemap(shards.get(s), index.pool(raw[c]).id(), index.pool(placed[c]).id()));
          }
        }
      }
      return table;
    }
  }
}
