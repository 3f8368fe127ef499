package io.strata.fleet.capacity;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When each tier fills, from the capacity history: pure, no I/O.
 *
 * <p>Each pool's growth is the least-squares slope of its bytes in use over the samples of the
 * window (the last {@code window} before the newest sample). A group's growth is the sum of its
 * pools' slopes, and its use the sum of their newest counts, so a pool missing from some samples
 * (its agent down for a while) bends neither. A group's limit is the capacity of its pools that
 * take new copies (effective state {@code up}) times the tier's fill ceiling: the reconciler puts
 * no copy on a pool above it. Days until full = (limit − used) ÷ growth; none when the group does
 * not grow, 0 when it is at or over its limit already. A group none of whose pools takes copies
 * (all drained, out or down, or none left) has no usable capacity: it is not "full in 0 days" but
 * says why, and has no days until full.
 */
public final class CapacityForecast {
  private static final double SECONDS_PER_DAY = 86_400;

  private CapacityForecast() {}

  /** What a row groups: the tier at each site, in each room, or each pool. */
  public enum Grouping {
    SITE,
    ROOM,
    POOL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Grouping parse(String text) {
      for (Grouping g : values()) {
        if (g.label().equals(text)) {
          return g;
        }
      }
      throw new IllegalArgumentException(
          "by: '" + text + "' is not a grouping; use site, room or pool");
    }
  }

  /**
   * Capacity added to a tier at a site, in a what-if scenario.
   *
   * @param tier the tier
   * @param site the site
   * @param bytes raw capacity added (the tier's fill ceiling applies to it)
   */
  public record Addition(String tier, String site, long bytes) {}

  /**
   * A what-if: growth multiplied by {@code growth}, and capacity added.
   *
   * @param growth factor on every group's growth; 1 for the trend as it is
   * @param additions capacity added, by tier and site
   */
  public record Scenario(double growth, List<Addition> additions) {
    public static final Scenario TREND = new Scenario(1, List.of());

    public boolean isTrend() {
      return growth == 1 && additions.isEmpty();
    }
  }

  /**
   * One group's forecast.
   *
   * @param tier the tier
   * @param site the site
   * @param room the room; null unless grouped by room or pool
   * @param pool the pool; null unless grouped by pool
   * @param pools pools in the group
   * @param poolsCounted pools with a count in the window
   * @param capacityBytes capacity of the group's pools that take new copies, with the scenario's
   *     additions
   * @param limitBytes {@code capacityBytes} times the tier's fill ceiling
   * @param usedBytes bytes in use at the newest count of each pool
   * @param fill used ÷ capacity; -1 when the capacity is 0
   * @param growthBytesPerDay growth over the window, with the scenario's factor; null when no pool
   *     of the group has two counts in it
   * @param daysUntilFull days until used reaches the limit; null when the group does not grow
   * @param fullOn the day it does (UTC); null with {@code daysUntilFull}
   * @param noCapacity why no pool of the group takes new copies ({@code 1 pool draining}, {@code no
   *     pools}); null when some does
   */
  public record Row(
      String tier,
      String site,
      String room,
      String pool,
      int pools,
      int poolsCounted,
      long capacityBytes,
      long limitBytes,
      long usedBytes,
      double fill,
      Double growthBytesPerDay,
      Double daysUntilFull,
      LocalDate fullOn,
      String noCapacity) {}

  /**
   * The forecast of every group of {@code map}'s pools, soonest full first.
   *
   * @param samples the history, in any order
   * @param now when the forecast is made; days until full count from here
   * @param window how far back from the newest sample the trend is fitted
   * @throws IllegalArgumentException when the scenario names a tier or site the map does not have,
   *     or adds capacity to a grouping other than by site
   */
  public static List<Row> forecast(
      ClusterMap map,
      List<CapacitySample> samples,
      Instant now,
      Duration window,
      Grouping by,
      Scenario scenario) {
    checkScenario(map, by, scenario);
    Map<String, PoolTrend> trends = trends(samples, window);
    Map<List<String>, Group> groups = new LinkedHashMap<>();
    for (Pool pool : map.pools().values()) {
      String site = name(map, pool, DomainLevel.SITE);
      String room = by == Grouping.SITE ? null : name(map, pool, DomainLevel.ROOM);
      String poolId = by == Grouping.POOL ? pool.id() : null;
      Group g =
          groups.computeIfAbsent(
              java.util.Arrays.asList(pool.tier(), site, room, poolId),
              k -> new Group(pool.tier(), site, room, poolId));
      g.pools++;
      g.members.add(pool);
      if (map.effectiveState(pool) == DomainState.UP) {
        g.capacity += pool.capacityBytes();
      }
      PoolTrend t = trends.get(pool.id());
      if (t != null) {
        g.counted++;
        g.used += t.newest;
        if (t.slopePerDay != null) {
          g.growth = (g.growth == null ? 0 : g.growth) + t.slopePerDay;
        }
      }
    }
    for (Addition a : scenario.additions()) {
      Group g = groups.get(java.util.Arrays.asList(a.tier(), a.site(), null, null));
      if (g == null) {
        g = new Group(a.tier(), a.site(), null, null);
        groups.put(java.util.Arrays.asList(a.tier(), a.site(), null, null), g);
      }
      g.capacity += a.bytes();
    }
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    List<Row> rows = new ArrayList<>();
    for (Group g : groups.values()) {
      Tier tier = map.tiers().get(g.tier);
      double ceiling = tier == null ? 1 : tier.fillCeiling();
      long limit = (long) Math.floor(g.capacity * ceiling);
      Double growth = g.growth == null ? null : g.growth * scenario.growth();
      Double days = null;
      String noCapacity = g.capacity <= 0 ? TierOutlook.reason(map, g.members) : null;
      if (noCapacity != null) {
        days = null;
      } else if (g.used >= limit && limit >= 0 && g.counted > 0) {
        days = 0.0;
      } else if (growth != null && growth > 0) {
        days = (limit - g.used) / growth;
      }
      rows.add(
          new Row(
              g.tier,
              g.site,
              g.room,
              g.pool,
              g.pools,
              g.counted,
              g.capacity,
              limit,
              g.used,
              g.capacity <= 0 ? -1 : g.used / (double) g.capacity,
              growth,
              days,
              days == null ? null : today.plusDays((long) Math.ceil(days)),
              noCapacity));
    }
    rows.sort(
        Comparator.comparing(
                (Row r) -> r.daysUntilFull(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Row::tier)
            .thenComparing(r -> String.valueOf(r.site()))
            .thenComparing(r -> String.valueOf(r.room()))
            .thenComparing(r -> String.valueOf(r.pool())));
    return rows;
  }

  private static void checkScenario(ClusterMap map, Grouping by, Scenario scenario) {
    if (!(scenario.growth() >= 0) || Double.isInfinite(scenario.growth())) {
      throw new IllegalArgumentException(
          "growth: " + scenario.growth() + " is not a factor of 0 or more");
    }
    if (scenario.additions().isEmpty()) {
      return;
    }
    if (by != Grouping.SITE) {
      throw new IllegalArgumentException(
          "add: capacity is added to a tier at a site, so the forecast must be by site, not by "
              + by.label());
    }
    for (Addition a : scenario.additions()) {
      if (!map.tiers().containsKey(a.tier())) {
        throw new IllegalArgumentException(
            "add: unknown tier '" + a.tier() + "'; the map has " + map.tiers().keySet());
      }
      Domain site = map.domains().get(a.site());
      if (site == null || site.level() != DomainLevel.SITE) {
        throw new IllegalArgumentException("add: '" + a.site() + "' is not a site of the map");
      }
      if (a.bytes() <= 0) {
        throw new IllegalArgumentException("add: the capacity added must be more than 0 bytes");
      }
    }
  }

  static String name(ClusterMap map, Pool pool, DomainLevel level) {
    return map.ancestor(pool, level).map(Domain::id).orElse(null);
  }

  /**
   * Each pool's newest count and least-squares slope (bytes per day) over the window before the
   * newest sample; the slope is null with fewer than two counts at different times.
   */
  static Map<String, PoolTrend> trends(List<CapacitySample> samples, Duration window) {
    Instant newest = null;
    for (CapacitySample s : samples) {
      if (newest == null || s.at().isAfter(newest)) {
        newest = s.at();
      }
    }
    if (newest == null) {
      return Map.of();
    }
    Map<String, Fit> fits = new HashMap<>();
    // Samples of the same pools share one list (see CapacityHistory): each pool is looked up once
    // per list, not once per sample.
    List<String> lastPools = null;
    Fit[] lastFits = null;
    Instant from = newest.minus(window);
    for (CapacitySample s : samples) {
      if (s.at().isBefore(from)) {
        continue;
      }
      if (s.pools() != lastPools) {
        lastPools = s.pools();
        lastFits = new Fit[lastPools.size()];
        for (int i = 0; i < lastFits.length; i++) {
          lastFits[i] = fits.computeIfAbsent(lastPools.get(i), k -> new Fit());
        }
      }
      // Days before the newest sample, so that the sums stay small next to the counts.
      double t = (s.at().toEpochMilli() - newest.toEpochMilli()) / 1000.0 / SECONDS_PER_DAY;
      long[] used = s.used();
      for (int i = 0; i < used.length; i++) {
        lastFits[i].add(t, used[i]);
      }
    }
    Map<String, PoolTrend> out = new HashMap<>();
    fits.forEach((pool, fit) -> out.put(pool, new PoolTrend(fit.newestValue, fit.slope())));
    return out;
  }

  record PoolTrend(long newest, Double slopePerDay) {}

  /** Running sums of a least-squares line through (t, y). */
  private static final class Fit {
    int n;
    double st;
    double sy;
    double stt;
    double sty;
    double newestT = Double.NEGATIVE_INFINITY;
    long newestValue;
    // Counts are taken less the first, so that the sums do not lose a slow growth on a full pool.
    long base;

    void add(double t, long value) {
      if (n == 0) {
        base = value;
      }
      double y = value - base;
      n++;
      st += t;
      sy += y;
      stt += t * t;
      sty += t * y;
      if (t > newestT) {
        newestT = t;
        newestValue = value;
      }
    }

    Double slope() {
      double d = n * stt - st * st;
      // Fewer than two distinct times: no line.
      if (n < 2 || d <= 1e-12 * Math.max(1, n * stt)) {
        return null;
      }
      return (n * sty - st * sy) / d;
    }
  }

  /** A group being summed. */
  private static final class Group {
    final String tier;
    final String site;
    final String room;
    final String pool;
    int pools;
    int counted;
    long capacity;
    long used;
    Double growth;
    final List<Pool> members = new ArrayList<>();

    Group(String tier, String site, String room, String pool) {
      this.tier = tier;
      this.site = site;
      this.room = room;
      this.pool = pool;
    }
  }
}
