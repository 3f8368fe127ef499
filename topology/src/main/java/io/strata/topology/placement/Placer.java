package io.strata.topology.placement;

import io.strata.topology.CopyRemap;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes placements over one {@link PlacementIndex}. Holds scratch space so that {@link
 * #placeSlots} allocates nothing once warm; therefore not thread-safe: use one placer per thread.
 *
 * <p>For each tier of the rule, in order, the placer takes the highest straw2 draws among that
 * tier's eligible pools (up, weight above 0) whose spread-level domain holds no copy yet. See
 * {@link PlacementIndex} for how the draws are searched without evaluating every pool. Then the
 * map's {@link CopyRemap exceptions} for the shard are applied where they still hold.
 */
public final class Placer {
  private final PlacementIndex index;
  private final int k;
  private final int width;
  private final double[] inverseLeaves;

  private double[] bound = new double[64];
  private double[] logMax = new double[64];
  private double[] pending = new double[64];
  private int[] node = new int[64];
  private int[] depth = new int[64];
  private int size;

  Placer(PlacementIndex index) {
    this.index = index;
    this.k = index.regionDepth();
    this.width = 1 << k;
    this.inverseLeaves = new double[k + 1];
    for (int r = 0; r <= k; r++) {
      inverseLeaves[r] = Math.scalb(1.0, -(k - r));
    }
  }

  /** The index this placer reads. */
  public PlacementIndex index() {
    return index;
  }

  /**
   * The pools for a shard's copies, first the primary. Shorter than {@link
   * PlacementRule#totalCopies()} only when the map cannot satisfy the rule (see {@link
   * RuleValidator}).
   */
  public List<Pool> place(String shardId, PlacementRule rule) {
    int[] slots = new int[rule.totalCopies()];
    int n = placeSlots(shardId, rule, slots);
    List<Pool> pools = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pools.add(index.pool(slots[i]));
    }
    return pools;
  }

  /**
   * Like {@link #place} but writes pool slots into {@code out} (at least {@link
   * PlacementRule#totalCopies()} long) and returns how many it wrote; allocation-free.
   */
  public int placeSlots(String shardId, PlacementRule rule, int[] out) {
    int n = placeRaw(ShardHash.of(shardId), rule, out);
    if (!index.map().remaps().isEmpty()) {
      n = applyRemaps(index.map().remapsOf(shardId), rule, out, n);
    }
    return n;
  }

  /**
   * Placement from the draw alone into {@code raw}, and with the map's exceptions applied into
   * {@code placed}; returns the number of copies. For the balancer, which keys exceptions by the
   * drawn pool.
   */
  int placeBoth(String shardId, PlacementRule rule, int[] raw, int[] placed) {
    int n = placeRaw(ShardHash.of(shardId), rule, raw);
    System.arraycopy(raw, 0, placed, 0, n);
    if (!index.map().remaps().isEmpty()) {
      applyRemaps(index.map().remapsOf(shardId), rule, placed, n);
    }
    return n;
  }

  /**
   * True when {@code to} may take the copy at position {@code j} of {@code placed}: the rule {@link
   * #applyRemaps} applies, shared with the balancer so that it only writes exceptions that hold.
   */
  boolean canTake(int[] placed, int n, int j, int to, int[] domains) {
    if (indexOf(placed, n, to) >= 0 || index.weight(to) <= 0 || domains[to] < 0) {
      return false;
    }
    if (!sameTier(index.tier(to), index.tier(placed[j]))) {
      return false;
    }
    for (int m = 0; m < n; m++) {
      if (m != j && domains[placed[m]] == domains[to]) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameTier(String a, String b) {
    return a != null && a.equals(b);
  }

  /** Placement from the draw alone, without exceptions; for the balancer. */
  int placeRaw(long h, PlacementRule rule, int[] out) {
    double rootLog = regionRootLog(h);
    int[] domains = index.domainRow(rule.spread());
    int n = 0;
    List<TierCopies> tiers = rule.copies();
    for (int t = 0; t < tiers.size(); t++) {
      double[] maxWeight = index.maxWeights(tiers.get(t).tier());
      if (maxWeight == null || maxWeight[1] <= 0) {
        continue;
      }
      int start = n;
      n = search(h, rootLog, maxWeight, domains, tiers.get(t).count(), out, n);
      if (n - start < tiers.get(t).count() && start > 0) {
        n = augment(h, rootLog, rule, t, domains, out, start, n);
      }
    }
    return n;
  }

  /**
   * When tier {@code t} finds too few free domains because earlier tiers' copies took them, moves
   * one earlier copy at a time, last first, to its tier's best free domain and retries, keeping a
   * move only when it frees a domain tier {@code t} can use. Reached only when tiers of one rule
   * compete for scarce domains; the common case never comes here.
   */
  private int augment(
      long h,
      double rootLog,
      PlacementRule rule,
      int t,
      int[] domains,
      int[] out,
      int start,
      int n) {
    double[] want = index.maxWeights(rule.copies().get(t).tier());
    int missing = rule.copies().get(t).count() - (n - start);
    for (int j = start - 1; j >= 0 && missing > 0; j--) {
      double[] own = index.maxWeights(index.tier(out[j]));
      int moved = search(h, rootLog, own, domains, 1, out, n);
      if (moved == n) {
        continue;
      }
      int saved = out[j];
      out[j] = out[n];
      int more = search(h, rootLog, want, domains, 1, out, n);
      if (more > n) {
        n = more;
        missing--;
      } else {
        out[j] = saved;
      }
    }
    return n;
  }

  /**
   * The log of the largest uniform among the stored region's slots: the draw walks from the root of
   * the full 2^31-slot tree down its left edge, so the stored region can grow without changing any
   * draw.
   */
  private double regionRootLog(long h) {
    double log = Math.scalb(Math.log(ShardHash.unit(ShardHash.at(h, 0))), -PlacementIndex.DEPTH);
    long a = 1;
    for (int d = 0; d < PlacementIndex.DEPTH - k; d++) {
      long bits = ShardHash.at(h, a);
      if ((bits & 1) != 0) {
        log += Math.scalb(Math.log(ShardHash.unit(bits)), -(PlacementIndex.DEPTH - d - 1));
      }
      a <<= 1;
    }
    return log;
  }

  /**
   * Best-first search for the {@code count} highest draws of one tier's eligible pools in unused
   * domains. Heap entries carry an upper bound of the draws below them; a child whose largest
   * uniform is not yet drawn carries its parent's (an upper bound) and the pending uniform, and is
   * refined only when it reaches the top. The search dives into the better child directly while it
   * stays ahead of the heap, so most steps touch no heap at all.
   */
  private int search(
      long h, double rootLog, double[] maxWeight, int[] domains, int count, int[] out, int n) {
    size = 0;
    push(1, 0, rootLog, 0, rootLog / maxWeight[1]);
    int found = 0;
    long offset = (1L << (PlacementIndex.DEPTH - k)) - 1;
    while (size > 0 && found < count) {
      int i = node[0];
      int r = depth[0];
      double log = logMax[0];
      double v = pending[0];
      double b = bound[0];
      pop();
      while (true) {
        if (v != 0) {
          log += Math.log(v) * inverseLeaves[r];
          v = 0;
          b = log / maxWeight[i];
          if (size > 0 && bound[0] > b) {
            push(i, r, log, 0, b);
            break;
          }
        }
        if (r == k) {
          int slot = i - width;
          int domain = domains[slot];
          if (domain >= 0 && !contains(out, n, domains, domain)) {
            out[n++] = slot;
            found++;
          }
          break;
        }
        long bits = ShardHash.at(h, ((long) i) + (offset << r));
        double u = ShardHash.unit(bits);
        boolean leftHoldsMax = (bits & 1) == 0;
        int left = 2 * i;
        double wl = maxWeight[left];
        double wr = maxWeight[left + 1];
        double bl = wl > 0 ? log / wl : Double.NEGATIVE_INFINITY;
        double br = wr > 0 ? log / wr : Double.NEGATIVE_INFINITY;
        boolean goLeft = bl > br || (bl == br && leftHoldsMax);
        int next = goLeft ? left : left + 1;
        double nextBound = goLeft ? bl : br;
        double otherBound = goLeft ? br : bl;
        if (otherBound != Double.NEGATIVE_INFINITY) {
          push(goLeft ? left + 1 : left, r + 1, log, goLeft == leftHoldsMax ? u : 0, otherBound);
        }
        if (nextBound == Double.NEGATIVE_INFINITY) {
          break;
        }
        i = next;
        r++;
        v = goLeft == leftHoldsMax ? 0 : u;
        b = nextBound;
        if (size > 0 && bound[0] > b) {
          push(i, r, log, v, b);
          break;
        }
      }
    }
    return n;
  }

  private static boolean contains(int[] out, int n, int[] domains, int domain) {
    for (int j = 0; j < n; j++) {
      if (domains[out[j]] == domain) {
        return true;
      }
    }
    return false;
  }

  /**
   * Applies a shard's exceptions, in passes until none more holds: an exception may hold only once
   * another has moved a copy out of its way (the balancer moves a shard's copies one after another
   * but its exceptions are listed by copy, so the second move may be listed first). In one pass, a
   * move into a room that the shard's other copy was leaving was refused, and the balancer, which
   * saw it hold, proposed it again round after round.
   */
  private int applyRemaps(List<CopyRemap> remaps, PlacementRule rule, int[] out, int n) {
    int[] domains = index.domainRow(rule.spread());
    int count = remaps.size();
    if (count == 1) {
      apply(remaps.get(0), out, n, domains);
      return n;
    }
    boolean[] applied = new boolean[count];
    boolean progress = true;
    while (progress) {
      progress = false;
      for (int r = 0; r < count; r++) {
        if (!applied[r] && apply(remaps.get(r), out, n, domains)) {
          applied[r] = true;
          progress = true;
        }
      }
    }
    return n;
  }

  private boolean apply(CopyRemap remap, int[] out, int n, int[] domains) {
    int from = index.slotOf(remap.from());
    int to = index.slotOf(remap.to());
    int j = indexOf(out, n, from);
    if (j >= 0 && to >= 0 && canTake(out, n, j, to, domains)) {
      out[j] = to;
      return true;
    }
    return false;
  }

  private static int indexOf(int[] out, int n, int slot) {
    for (int j = 0; j < n; j++) {
      if (out[j] == slot) {
        return j;
      }
    }
    return -1;
  }

  private void push(int i, int r, double log, double v, double b) {
    if (size == bound.length) {
      int cap = size * 2;
      bound = Arrays.copyOf(bound, cap);
      logMax = Arrays.copyOf(logMax, cap);
      pending = Arrays.copyOf(pending, cap);
      node = Arrays.copyOf(node, cap);
      depth = Arrays.copyOf(depth, cap);
    }
    int at = size++;
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (bound[parent] >= b) {
        break;
      }
      move(parent, at);
      at = parent;
    }
    set(at, i, r, log, v, b);
  }

  private void pop() {
    size--;
    if (size == 0) {
      return;
    }
    int i = node[size];
    int r = depth[size];
    double log = logMax[size];
    double v = pending[size];
    double b = bound[size];
    int at = 0;
    while (true) {
      int child = 2 * at + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && bound[child + 1] > bound[child]) {
        child++;
      }
      if (bound[child] <= b) {
        break;
      }
      move(child, at);
      at = child;
    }
    set(at, i, r, log, v, b);
  }

  private void move(int from, int to) {
    bound[to] = bound[from];
    logMax[to] = logMax[from];
    pending[to] = pending[from];
    node[to] = node[from];
    depth[to] = depth[from];
  }

  private void set(int at, int i, int r, double log, double v, double b) {
    bound[at] = b;
    logMax[at] = log;
    pending[at] = v;
    node[at] = i;
    depth[at] = r;
  }
}
