package io.strata.controller.capacity;

import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.capacity.CapacitySeries;
import io.strata.fleet.capacity.DatasetHistory;
import io.strata.fleet.capacity.IntakeSplit;
import io.strata.fleet.capacity.PhaseFlow;
import io.strata.fleet.capacity.PolicyForecast;
import io.strata.fleet.capacity.PolicyForecast.DatasetIntake;
import io.strata.fleet.capacity.PurchasePlan;
import io.strata.fleet.capacity.PurchasePlan.RackModel;
import io.strata.fleet.capacity.TierOutlook;
import io.strata.fleet.capacity.TierOutlook.Group;
import io.strata.fleet.capacity.TierOutlook.TierSite;
import io.strata.policy.evaluate.PolicySet;
import io.strata.topology.ClusterMap;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The purchase plan of {@code /api/v1/capacity/plan}: the capacity history, the map, the policies
 * and a what-if in; the projection of every tier at every site and the racks to buy out. Reads
 * nothing itself and changes nothing: a what-if is checked whole before anything is worked out, and
 * a bad one is refused naming its field.
 *
 * <p>Each tier's history is its use at the end of each UTC day. Where the capacity history also
 * records datasets' logical bytes and ages, each dataset with enough of it is pushed through its
 * policy's phases ({@link PhaseFlow}) and the rest of its tiers' use is projected on its net growth
 * ({@link IntakeSplit}); a tier no such dataset uses, or every tier when samples record no dataset
 * (written before they did), is projected on its own daily growth, fitted as a trend with a weekly
 * profile ({@link DatasetIntake#net}). Each group says which ({@link GroupView#method}). A hospital
 * onboarded in a what-if is pushed through its policy's phases on top.
 */
public final class CapacityPlanner {
  /** The fewest days of history a tier's growth is projected from. */
  static final int MIN_HISTORY_DAYS = 4;

  /** How far a plan may look, in days. */
  static final int MIN_HORIZON_DAYS = 30;

  static final int MAX_HORIZON_DAYS = 3653;

  private CapacityPlanner() {}

  /**
   * The configured defaults.
   *
   * @param horizonDays how far the plan looks
   * @param confidence one-sided, that no tier passes its ceiling within the horizon
   * @param rackModels one per tier at most
   */
  public record Settings(int horizonDays, double confidence, List<RackModel> rackModels) {}

  /**
   * A what-if; every field may be left out.
   *
   * @param horizonDays instead of the configured horizon, 30 to 3,653
   * @param confidence instead of the configured one, 0.5 to 0.999
   * @param rackModels instead of the configured ones
   * @param onboard hospitals' datasets that start writing tomorrow
   * @param addRacks racks bought already, taking copies from today
   * @param policies policies as their files would write them, by name, in place of those in force
   *     (or beside them) for the datasets onboarded: a phase changed, an expiry added
   */
  public record PlanRequest(
      Integer horizonDays,
      Double confidence,
      List<RackModelBody> rackModels,
      List<Onboarding> onboard,
      List<AddedRacks> addRacks,
      Map<String, String> policies) {
    public static final PlanRequest NONE = new PlanRequest(null, null, null, null, null, null);
  }

  /** A rack model as a request writes it: {@code usable} is a size such as {@code 1.2PB}. */
  public record RackModelBody(
      String name, String tier, String usable, Double powerKw, Double cost, Integer leadTimeDays) {}

  /**
   * A dataset onboarded in a what-if.
   *
   * @param dataset its name
   * @param policy the storage policy it will be stored under
   * @param perDay what it writes a day, a size such as {@code 2TB}
   */
  public record Onboarding(String dataset, String policy, String perDay) {}

  /** {@code racks} of the tier's model added to {@code tier} at {@code site}. */
  public record AddedRacks(String tier, String site, Integer racks) {}

  /**
   * One day of a group's projection, bytes.
   *
   * @param day the date
   * @param mean the projection
   * @param lower95 the 95% prediction interval
   * @param upper95 the 95% prediction interval
   * @param lower80 the 80% prediction interval
   * @param upper80 the 80% prediction interval
   * @param trend the plain trend
   * @param limit the limit with the planned racks that have arrived by then
   */
  public record Point(
      LocalDate day,
      long mean,
      long lower95,
      long upper95,
      long lower80,
      long upper80,
      long trend,
      long limit) {}

  /**
   * A tier at a site.
   *
   * @param status {@code fills}, {@code may-fill}, {@code not-within-horizon}, {@code shrinking},
   *     {@code full} or {@code no-capacity}
   * @param reason for {@code no-capacity}: drained, out, down, or no pools
   * @param fullOn when the projection reaches the limit; null when not within the horizon
   * @param fullOn95 the 95% interval of that date: [earliest, latest]; a null end is past the
   *     horizon
   * @param fullOn80 the 80% interval
   * @param trendFullOn when the plain trend reaches the limit
   * @param points weekly, from today to the horizon
   * @param method how its tier is projected: {@code policy-aware} (its datasets through their
   *     policies, the rest of its use on its net growth) or {@code net-growth} (its own growth)
   */
  public record GroupView(
      String tier,
      String site,
      long capacityBytes,
      long limitBytes,
      long usedBytes,
      String method,
      String status,
      String reason,
      LocalDate fullOn,
      List<LocalDate> fullOn95,
      List<LocalDate> fullOn80,
      LocalDate trendFullOn,
      List<Point> points) {}

  /**
   * A plan.
   *
   * @param at when it was made
   * @param today the last day of the history: day 0 of the projection
   * @param historyDays days of history fitted
   * @param method how the projection and its intervals are made
   * @param datasets the datasets projected through their policies from their own history, as {@code
   *     dataset (policy)}
   * @param notes what a planner should know: short histories, models missing
   * @param groups soonest full first
   * @param plan the racks to order
   */
  public record PlanView(
      Instant at,
      LocalDate today,
      int horizonDays,
      double confidence,
      int historyDays,
      String method,
      List<String> datasets,
      List<String> notes,
      List<Onboarding> onboard,
      List<AddedRacks> addRacks,
      List<GroupView> groups,
      PurchasePlan.Plan plan) {}

  static final String METHOD =
      "each dataset with enough history of its own (its logical bytes and their ages, in the"
          + " capacity history) has its daily intake fitted as a linear trend with a weekly profile"
          + " by least squares and pushed, with what it holds, through its policy's phases; the"
          + " rest of each tier's use, and every tier that no such dataset uses, is projected from"
          + " its own daily growth fitted the same way; onboarded datasets pushed through their"
          + " policies' phases; 80% and 95% prediction intervals of the regression (Student's t);"
          + " racks bought for the one-sided upper bound at the confidence";

  /**
   * The plan for {@code request} on the history {@code samples}.
   *
   * @throws IllegalArgumentException naming the field of the request that cannot be used
   */
  public static PlanView plan(
      ClusterMap map,
      PolicySet policies,
      List<CapacitySample> samples,
      Duration window,
      Instant now,
      Settings settings,
      PlanRequest request) {
    int horizon = request.horizonDays() == null ? settings.horizonDays() : request.horizonDays();
    if (horizon < MIN_HORIZON_DAYS || horizon > MAX_HORIZON_DAYS) {
      throw new IllegalArgumentException(
          "horizonDays: "
              + horizon
              + " is not between "
              + MIN_HORIZON_DAYS
              + " and "
              + MAX_HORIZON_DAYS);
    }
    double confidence = request.confidence() == null ? settings.confidence() : request.confidence();
    if (!(confidence >= 0.5 && confidence <= 0.999)) {
      throw new IllegalArgumentException(
          "confidence: " + confidence + " is not between 0.5 and 0.999");
    }
    List<String> notes = new ArrayList<>();
    Map<String, RackModel> models = PlanWhatIf.models(map, settings, request, horizon, notes);
    PolicySet whatIf = PlanWhatIf.policies(policies, map, request.policies());
    List<DatasetIntake> onboarded = PlanWhatIf.onboarded(whatIf, map, request.onboard());
    Map<TierSite, Long> added = PlanWhatIf.added(map, models, request.addRacks());

    Map<TierSite, double[]> used = daily(map, samples, window);
    int days = used.values().stream().mapToInt(a -> a.length).max().orElse(0);
    LocalDate today =
        samples.isEmpty()
            ? now.atZone(ZoneOffset.UTC).toLocalDate()
            : samples.get(samples.size() - 1).at().atZone(ZoneOffset.UTC).toLocalDate();
    Map<String, double[]> byTier = new TreeMap<>();
    used.forEach(
        (g, use) -> {
          double[] sum = byTier.computeIfAbsent(g.tier(), k -> new double[use.length]);
          for (int i = 0; i < use.length; i++) {
            sum[i] += use[i];
          }
        });
    Map<String, PhaseFlow> flows = new TreeMap<>();
    policies.policies().forEach(p -> flows.put(p.name(), PhaseFlow.of(p)));
    // A what-if's changed phases act on the data stored under them from today on.
    Map<String, PhaseFlow> ahead = new TreeMap<>();
    whatIf.policies().forEach(p -> ahead.put(p.name(), PhaseFlow.of(p)));
    IntakeSplit.Split split =
        IntakeSplit.of(
            byTier,
            DatasetHistory.of(samples, today.minusDays(Math.max(0, days - 1L)), days),
            flows,
            ahead,
            MIN_HISTORY_DAYS);
    notes.addAll(split.notes());
    List<DatasetIntake> intake = new ArrayList<>(onboarded);
    intake.addAll(split.intake());
    List<Group> groups =
        TierOutlook.of(
            map,
            PolicyForecast.project(today, intake, horizon, Integer.MAX_VALUE),
            used,
            added,
            Math.max(2, (int) window.toDays()),
            horizon);
    PurchasePlan.Plan plan = PurchasePlan.plan(groups, models, confidence, today);
    List<GroupView> views = new ArrayList<>();
    for (Group g : groups) {
      String method = split.methods().getOrDefault(g.tier(), IntakeSplit.NET_GROWTH);
      views.add(view(g, method, plan, models.get(g.tier()), today));
    }
    return new PlanView(
        now,
        today,
        horizon,
        confidence,
        days,
        METHOD,
        split.datasets(),
        notes,
        request.onboard() == null ? List.of() : request.onboard(),
        request.addRacks() == null ? List.of() : request.addRacks(),
        views,
        plan);
  }

  /**
   * Each tier's use at each site at the end of each UTC day from the first sample's day to the
   * newest's; a day without a sample holds the day before's.
   */
  static Map<TierSite, double[]> daily(
      ClusterMap map, List<CapacitySample> samples, Duration window) {
    Map<TierSite, double[]> out = new LinkedHashMap<>();
    List<CapacitySeries> series = CapacitySeries.of(map, samples, window);
    for (CapacitySeries s : series) {
      if (s.at().isEmpty()) {
        continue;
      }
      LocalDate first = s.at().get(0).atZone(ZoneOffset.UTC).toLocalDate();
      LocalDate last = s.at().get(s.at().size() - 1).atZone(ZoneOffset.UTC).toLocalDate();
      int days = (int) (last.toEpochDay() - first.toEpochDay()) + 1;
      double[] use = new double[days];
      int filled = -1;
      for (int i = 0; i < s.at().size(); i++) {
        int d =
            (int)
                (s.at().get(i).atZone(ZoneOffset.UTC).toLocalDate().toEpochDay()
                    - first.toEpochDay());
        for (int k = filled + 1; k < d; k++) {
          use[k] = use[Math.max(0, k - 1)];
        }
        use[d] = s.used()[i];
        filled = d;
      }
      out.put(new TierSite(s.tier(), s.site()), use);
    }
    return out;
  }

  private static GroupView view(
      Group g, String method, PurchasePlan.Plan plan, RackModel model, LocalDate today) {
    TierOutlook.Fill f = g.fill();
    List<Point> points = new ArrayList<>();
    int h = g.horizonDays();
    double perRack = model == null ? 0 : Math.floor(model.usableBytes() * g.ceiling());
    for (int i = 0; i <= h; i = i == h ? h + 1 : Math.min(h, i + 7)) {
      LocalDate day = today.plusDays(i);
      long limit = g.limitBytes();
      for (PurchasePlan.Order o : plan.orders()) {
        if (o.tier().equals(g.tier())
            && java.util.Objects.equals(o.site(), g.site())
            && !o.neededBy().isAfter(day)) {
          limit += (long) (o.racks() * perRack);
        }
      }
      points.add(
          new Point(
              day,
              Math.round(g.mean()[i]),
              Math.round(g.bound(i, 0.95, false)),
              Math.round(g.bound(i, 0.95, true)),
              Math.round(g.bound(i, 0.80, false)),
              Math.round(g.bound(i, 0.80, true)),
              Math.round(g.trend()[i]),
              limit));
    }
    return new GroupView(
        g.tier(),
        g.site(),
        g.capacityBytes(),
        g.limitBytes(),
        g.usedBytes(),
        method,
        f.status().label(),
        f.reason(),
        day(today, f.days()),
        java.util.Arrays.asList(day(today, f.early95()), day(today, f.late95())),
        java.util.Arrays.asList(day(today, f.early80()), day(today, f.late80())),
        day(today, f.trendDays()),
        points);
  }

  private static LocalDate day(LocalDate today, Integer days) {
    return days == null ? null : today.plusDays(days);
  }
}
