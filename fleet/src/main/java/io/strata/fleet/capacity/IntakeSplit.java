package io.strata.fleet.capacity;

import io.strata.fleet.capacity.PolicyForecast.DatasetIntake;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a tier's projection is made of: the datasets whose bytes the capacity history records, each
 * pushed through its policy ({@link PolicyForecast}), and the rest of the tier's use, the part no
 * such dataset explains (data no policy governs, the system dataset, datasets recorded too
 * recently, overheads), on its own net growth. Pure, no I/O.
 *
 * <p>The split: on each day {@code d} from the first on which every dataset used has its ages
 * recorded, the datasets explain {@code E_T(d) = Σ_j Σ_age copies_j(T, age) · bytes_j(d, age)} on
 * tier {@code T}, the copies their policies keep of what they held that day; the rest is {@code
 * R_T(d) = U_T(d) − E_T(d)}, {@code U_T} being the tier's use as its pools counted it. The tier is
 * projected as the datasets' projections plus {@code R_T}'s daily change fitted as a net growth
 * ({@link DatasetIntake#net}): on the last day the two add up to the use counted, so nothing is
 * counted twice or lost. A tier no such dataset puts a copy on, or every tier when no dataset has
 * enough history (samples written before datasets were counted), is projected on its own net growth
 * as a whole.
 */
public final class IntakeSplit {
  private IntakeSplit() {}

  /** A tier projected from its datasets' intake through their policies, and its remainder. */
  public static final String POLICY_AWARE = "policy-aware";

  /** A tier projected from its own daily growth. */
  public static final String NET_GROWTH = "net-growth";

  /**
   * The intake to project, and how each tier is.
   *
   * @param intake the datasets' and the tiers' intake, for {@link PolicyForecast#project}
   * @param methods each tier's method: {@link #POLICY_AWARE} or {@link #NET_GROWTH}
   * @param datasets the datasets projected through their policies, as {@code dataset (policy)}
   * @param notes what a planner should know: tiers held at today's use, datasets left out
   */
  public record Split(
      List<DatasetIntake> intake,
      Map<String, String> methods,
      List<String> datasets,
      List<String> notes) {}

  /**
   * Splits each tier's use.
   *
   * @param use each tier's use fleet-wide at the end of each day, oldest first, all of the same
   *     days, the last being today
   * @param datasets the datasets over the same days ({@link DatasetHistory#of})
   * @param flows the policies in force by name
   * @param minDays the fewest days of history a growth is fitted from; fewer, and a tier is held
   */
  public static Split of(
      Map<String, double[]> use,
      List<DatasetHistory> datasets,
      Map<String, PhaseFlow> flows,
      int minDays) {
    return of(use, datasets, flows, flows, minDays);
  }

  /**
   * Splits each tier's use, the history by the policies it was stored under and the projection by
   * {@code ahead}: a what-if's changed phases act on the data already stored from today on.
   *
   * @param flows the policies in force by name, which the history was stored under
   * @param ahead the policies the projection follows by name; one not named follows {@code flows}
   */
  public static Split of(
      Map<String, double[]> use,
      List<DatasetHistory> datasets,
      Map<String, PhaseFlow> flows,
      Map<String, PhaseFlow> ahead,
      int minDays) {
    int days = use.values().stream().mapToInt(a -> a.length).max().orElse(0);
    List<String> notes = new ArrayList<>();
    List<DatasetHistory> used = new ArrayList<>();
    int from = 0;
    for (DatasetHistory d : datasets) {
      String name = d.dataset() + " (" + d.policy() + ")";
      if (days == 0 || !d.current() || d.ages()[days - 1] == null) {
        continue; // No longer counted: what it held is in the pools' use.
      }
      if (!flows.containsKey(d.policy())) {
        notes.add(name + ": no policy '" + d.policy() + "' in force; on its tiers' net growth");
      } else if (d.firstAgesDay() > days - minDays) {
        notes.add(
            name
                + ": "
                + (days - d.firstAgesDay())
                + " days of its own history, fewer than the "
                + minDays
                + " its intake is fitted from; on its tiers' net growth");
      } else {
        used.add(d);
        from = Math.max(from, d.firstAgesDay());
      }
    }
    Set<String> touched = new TreeSet<>();
    used.forEach(d -> touched.addAll(flows.get(d.policy()).tiers()));
    List<DatasetIntake> intake = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (DatasetHistory d : used) {
      PhaseFlow flow = ahead.getOrDefault(d.policy(), flows.get(d.policy()));
      intake.add(DatasetIntake.fitted(d.dataset(), flow, d.intake(), d.ages()[days - 1]));
      names.add(d.dataset() + " (" + d.policy() + ")");
    }
    Map<String, String> methods = new LinkedHashMap<>();
    Map<String, double[]> all = new TreeMap<>(use);
    touched.forEach(t -> all.putIfAbsent(t, null));
    for (Map.Entry<String, double[]> e : all.entrySet()) {
      String tier = e.getKey();
      double[] u = e.getValue();
      if (touched.contains(tier)) {
        methods.put(tier, POLICY_AWARE);
        if (u != null) {
          intake.add(DatasetIntake.net(tier, growth(rest(tier, u, used, flows, from))));
        }
        continue;
      }
      methods.put(tier, NET_GROWTH);
      if (u.length < minDays) {
        notes.add(
            tier
                + ": "
                + u.length
                + (u.length == 1 ? " day" : " days")
                + " of history, fewer than the "
                + minDays
                + " its growth is projected from; held at today's use");
        continue;
      }
      intake.add(DatasetIntake.net(tier, growth(u)));
    }
    return new Split(List.copyOf(intake), methods, List.copyOf(names), List.copyOf(notes));
  }

  /** The tier's use no dataset of {@code used} explains, on each day from {@code from} on. */
  static double[] rest(
      String tier,
      double[] use,
      List<DatasetHistory> used,
      Map<String, PhaseFlow> flows,
      int from) {
    double[] out = new double[use.length - from];
    for (int i = 0; i < out.length; i++) {
      out[i] = use[from + i];
    }
    Map<PhaseFlow, AgeProfile.OnTier> onTier = new LinkedHashMap<>();
    for (DatasetHistory d : used) {
      PhaseFlow flow = flows.get(d.policy());
      AgeProfile.OnTier copies =
          onTier.computeIfAbsent(flow, f -> new AgeProfile.OnTier(f, tier, 0));
      for (int i = 0; i < out.length; i++) {
        out[i] -= copies.bytes(d.ages()[from + i], 0);
      }
    }
    return out;
  }

  /** The daily change of a series: one value fewer. */
  static double[] growth(double[] series) {
    double[] out = new double[series.length - 1];
    for (int i = 1; i < series.length; i++) {
      out[i - 1] = series[i] - series[i - 1];
    }
    return out;
  }
}
