package io.strata.fleet.capacity;

import io.strata.fleet.capacity.PolicyForecast.Projection;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.Tier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each tier at each site over the horizon: the policy-aware projection with its intervals, the
 * plain trend beside it, and when it fills. Pure, no I/O.
 *
 * <p>A tier's projection is fleet-wide; each site takes the share of its change that placement
 * gives it. Placement is weighted by capacity, so a site's share is its part of the tier's capacity
 * that takes new copies (or of its use, when no pool of the tier takes any). The projection is
 * anchored on what the pools hold now: a site's use on day {@code i} is its use today plus its
 * share of the tier's projected change since today, so the model says how use changes, the pools
 * where it starts.
 *
 * <p>The fill date's interval is read where the pointwise prediction bounds cross the limit: the
 * earliest day of the 95% interval is the first day the upper 95% bound reaches the limit, the
 * latest the first day its lower bound does (none within the horizon when it never does).
 */
public final class TierOutlook {
  private TierOutlook() {}

  /** A tier at a site. */
  public record TierSite(String tier, String site) {}

  /** Where a group stands against its limit. */
  public enum Status {
    /** The projection reaches the limit within the horizon. */
    FILLS,
    /** Only the upper bound of the 95% interval reaches it: it may fill. */
    MAY_FILL,
    /** It grows, but stays under the limit over the horizon. */
    NOT_WITHIN_HORIZON,
    /** It holds less at the end of the horizon than today, and stays under the limit. */
    SHRINKING,
    /** At or over its limit today. */
    FULL,
    /** No pool of the tier at the site takes new copies; the reason says why. */
    NO_CAPACITY;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * When a group fills, in days from today; null where the horizon passes first.
   *
   * @param status where it stands
   * @param reason for {@link Status#NO_CAPACITY}: drained, out, down or no pools; null otherwise
   * @param days when the projection reaches the limit
   * @param trendDays when the plain trend does
   * @param early95 the earliest day of the 95% interval (the upper bound reaches the limit)
   * @param late95 the latest (the lower bound does)
   * @param early80 the earliest of the 80% interval
   * @param late80 the latest of the 80% interval
   */
  public record Fill(
      Status status,
      String reason,
      Integer days,
      Integer trendDays,
      Integer early95,
      Integer late95,
      Integer early80,
      Integer late80) {}

  /**
   * One tier at one site.
   *
   * @param capacityBytes capacity of the pools that take new copies
   * @param limitBytes that times the tier's fill ceiling
   * @param ceiling the tier's fill ceiling
   * @param usedBytes in use today
   * @param share the site's share of the tier's change
   * @param mean projected use {@code i} days from today (index 0 is today)
   * @param sd the prediction's standard deviation on each day
   * @param degreesOfFreedom of the t distribution its intervals are read from
   * @param trend the plain trend: a least-squares line through the site's recent use
   */
  public record Group(
      String tier,
      String site,
      long capacityBytes,
      long limitBytes,
      double ceiling,
      long usedBytes,
      double share,
      double[] mean,
      double[] sd,
      int degreesOfFreedom,
      double[] trend,
      Fill fill) {
    /** The bound of the two-sided {@code level} interval on day {@code i}. */
    public double bound(int i, double level, boolean upper) {
      double half = IntakeModel.tQuantile(level, degreesOfFreedom) * sd[i];
      return upper ? mean[i] + half : mean[i] - half;
    }

    public int horizonDays() {
      return mean.length - 1;
    }
  }

  /**
   * Every tier at every site of {@code map} that has pools or a projection.
   *
   * @param projections each tier's projection, fleet-wide
   * @param used each tier's daily use at each site, oldest first, the last being today's; a group
   *     missing here holds nothing today
   * @param trendWindowDays how many of the newest days the plain trend is fitted to
   */
  public static List<Group> of(
      ClusterMap map,
      Map<String, Projection> projections,
      Map<TierSite, double[]> used,
      int trendWindowDays,
      int horizonDays) {
    return of(map, projections, used, Map.of(), trendWindowDays, horizonDays);
  }

  /**
   * As {@link #of(ClusterMap, Map, Map, int, int)}, with raw capacity added to tiers at sites (a
   * what-if: racks bought), which takes copies from today and counts in the sites' shares.
   */
  public static List<Group> of(
      ClusterMap map,
      Map<String, Projection> projections,
      Map<TierSite, double[]> used,
      Map<TierSite, Long> added,
      int trendWindowDays,
      int horizonDays) {
    Map<TierSite, List<Pool>> pools = new TreeMap<>(ORDER);
    for (Pool pool : map.pools().values()) {
      pools
          .computeIfAbsent(new TierSite(pool.tier(), site(map, pool)), k -> new ArrayList<>())
          .add(pool);
    }
    for (TierSite g : used.keySet()) {
      pools.computeIfAbsent(g, k -> new ArrayList<>());
    }
    for (TierSite g : added.keySet()) {
      pools.computeIfAbsent(g, k -> new ArrayList<>());
    }
    for (String tier : projections.keySet()) {
      if (pools.keySet().stream().noneMatch(g -> g.tier().equals(tier))) {
        pools.put(new TierSite(tier, null), new ArrayList<>());
      }
    }
    // Every site of a projected tier that has none of its pools shows too: it takes no share.
    Map<String, Double> tierCapacity = new LinkedHashMap<>();
    Map<String, Double> tierUsed = new LinkedHashMap<>();
    Map<String, Integer> tierSites = new LinkedHashMap<>();
    Map<TierSite, Long> capacity = new LinkedHashMap<>();
    for (Map.Entry<TierSite, List<Pool>> e : pools.entrySet()) {
      long up = 0;
      for (Pool p : e.getValue()) {
        if (map.effectiveState(p) == DomainState.UP) {
          up += p.capacityBytes();
        }
      }
      up += added.getOrDefault(e.getKey(), 0L);
      capacity.put(e.getKey(), up);
      String tier = e.getKey().tier();
      tierCapacity.merge(tier, (double) up, Double::sum);
      tierUsed.merge(tier, today(used.get(e.getKey())), Double::sum);
      tierSites.merge(tier, 1, Integer::sum);
    }
    List<Group> out = new ArrayList<>();
    for (Map.Entry<TierSite, List<Pool>> e : pools.entrySet()) {
      TierSite g = e.getKey();
      Tier tier = map.tiers().get(g.tier());
      double ceiling = tier == null ? 1 : tier.fillCeiling();
      long cap = capacity.get(g);
      long limit = (long) Math.floor(cap * ceiling);
      double[] history = used.getOrDefault(g, new double[0]);
      double now = today(history);
      double share =
          tierCapacity.get(g.tier()) > 0
              ? cap / tierCapacity.get(g.tier())
              : tierUsed.get(g.tier()) > 0
                  ? now / tierUsed.get(g.tier())
                  : 1.0 / tierSites.get(g.tier());
      Projection p = projections.get(g.tier());
      double[] mean = new double[horizonDays + 1];
      double[] sd = new double[horizonDays + 1];
      for (int i = 0; i <= horizonDays; i++) {
        double change = p == null ? 0 : p.mean()[Math.min(i, p.horizonDays())] - p.mean()[0];
        mean[i] = Math.max(0, now + share * change);
        sd[i] = p == null ? 0 : share * Math.sqrt(p.variance()[Math.min(i, p.horizonDays())]);
      }
      int dof = p == null ? 1_000_000 : p.degreesOfFreedom();
      double[] trend = PolicyForecast.trend(history, trendWindowDays, horizonDays);
      Group partial =
          new Group(
              g.tier(),
              g.site(),
              cap,
              limit,
              ceiling,
              (long) now,
              share,
              mean,
              sd,
              dof,
              trend,
              null);
      out.add(withFill(partial, reason(map, e.getValue())));
    }
    out.sort(
        Comparator.comparing((Group x) -> x.fill().days(), Comparator.nullsLast(Integer::compare))
            .thenComparing(x -> x.fill().early95(), Comparator.nullsLast(Integer::compare))
            .thenComparing(x -> new TierSite(x.tier(), x.site()), ORDER));
    return out;
  }

  private static final Comparator<TierSite> ORDER =
      Comparator.comparing(TierSite::tier).thenComparing(g -> String.valueOf(g.site()));

  private static double today(double[] history) {
    return history == null || history.length == 0 ? 0 : history[history.length - 1];
  }

  /** The group with its fill worked out against its limit. */
  static Group withFill(Group g, String noCapacityReason) {
    Fill fill;
    if (g.limitBytes() <= 0) {
      fill = new Fill(Status.NO_CAPACITY, noCapacityReason, null, null, null, null, null, null);
    } else if (g.usedBytes() >= g.limitBytes()) {
      fill = new Fill(Status.FULL, null, 0, 0, 0, 0, 0, 0);
    } else {
      double limit = g.limitBytes();
      Integer days = first(g, limit, i -> g.mean()[i]);
      Integer trendDays = first(g, limit, i -> g.trend()[i]);
      Integer early95 = first(g, limit, i -> g.bound(i, 0.95, true));
      Integer late95 = first(g, limit, i -> g.bound(i, 0.95, false));
      Integer early80 = first(g, limit, i -> g.bound(i, 0.80, true));
      Integer late80 = first(g, limit, i -> g.bound(i, 0.80, false));
      Status status =
          days != null
              ? Status.FILLS
              : early95 != null
                  ? Status.MAY_FILL
                  : g.mean()[g.horizonDays()] < g.usedBytes()
                      ? Status.SHRINKING
                      : Status.NOT_WITHIN_HORIZON;
      fill = new Fill(status, null, days, trendDays, early95, late95, early80, late80);
    }
    return new Group(
        g.tier(),
        g.site(),
        g.capacityBytes(),
        g.limitBytes(),
        g.ceiling(),
        g.usedBytes(),
        g.share(),
        g.mean(),
        g.sd(),
        g.degreesOfFreedom(),
        g.trend(),
        fill);
  }

  private static Integer first(Group g, double limit, java.util.function.IntToDoubleFunction y) {
    for (int i = 0; i <= g.horizonDays(); i++) {
      if (y.applyAsDouble(i) >= limit) {
        return i;
      }
    }
    return null;
  }

  /**
   * Why no pool of a group takes new copies: "no pools", or the states of its pools (their own or
   * their domain's), such as "1 pool draining".
   */
  static String reason(ClusterMap map, List<Pool> pools) {
    if (pools.isEmpty()) {
      return "no pools";
    }
    Map<DomainState, Integer> states = new TreeMap<>();
    for (Pool p : pools) {
      states.merge(map.effectiveState(p), 1, Integer::sum);
    }
    if (states.keySet().equals(java.util.Set.of(DomainState.UP))) {
      return "no capacity reported by its pools";
    }
    List<String> parts = new ArrayList<>();
    states.forEach((state, n) -> parts.add(n + (n == 1 ? " pool " : " pools ") + state.label()));
    return String.join(", ", parts);
  }

  static String site(ClusterMap map, Pool pool) {
    return CapacityForecast.name(map, pool, DomainLevel.SITE);
  }
}
