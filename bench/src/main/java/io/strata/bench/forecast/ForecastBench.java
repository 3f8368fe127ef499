package io.strata.bench.forecast;

import io.strata.bench.BenchArgs;
import io.strata.fleet.capacity.PhaseFlow;
import io.strata.fleet.capacity.PolicyForecast;
import io.strata.fleet.capacity.PolicyForecast.DatasetIntake;
import io.strata.fleet.capacity.TierOutlook;
import io.strata.fleet.capacity.TierOutlook.Group;
import io.strata.fleet.capacity.TierOutlook.TierSite;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code strata bench forecast [--history 200] [--horizon 365] [--runs 100] [--seed 1]}: a backtest
 * of the capacity forecast. Each run builds a synthetic history of three hospitals' imaging intake
 * with a known trend, weekly profile and normal noise, stored by a policy with phases (2 hot copies
 * for 90 days, then one warm and one cold until a year, then 2 cold, deleted at 2 years), shows the
 * forecast the first {@code --history} days and hides the next {@code --horizon}, and compares with
 * what the hidden days held on each tier: the policy-aware forecast and the plain 30-day trend.
 *
 * <p>Figures, over all runs, tiers and hidden days: the mean absolute percentage error of each
 * forecast (MAPE), and the share of hidden days whose use lies within the policy-aware forecast's
 * 95% prediction interval. Last line: {@code forecast: horizon_days=<n> mape_policy=<x>
 * mape_trend=<x> coverage95=<x>}.
 */
public final class ForecastBench {
  private ForecastBench() {}

  static final String USAGE =
      "strata bench forecast [--history N] [--horizon N] [--runs N] [--seed N]";

  /** The policy the synthetic hospitals' imaging is stored under. */
  static final PhaseFlow POLICY =
      new PhaseFlow(
          new int[] {0, 90, 365},
          List.of(Map.of("hot", 2), Map.of("warm", 1, "cold", 1), Map.of("cold", 2)),
          730);

  /** One site, far too large to fill: the backtest scores use, not fill dates. */
  static final ClusterMap MAP =
      TopologyFile.parse(
          "bench.yaml",
          """
          tiers:
            - {name: hot, fillCeiling: 0.8}
            - {name: warm, fillCeiling: 0.9}
            - {name: cold, fillCeiling: 0.9}
          domains:
            - {id: region-1, level: region}
            - {id: site-1, level: site, parent: region-1}
            - {id: room-1, level: room, parent: site-1}
            - {id: node-1, level: node, parent: room-1}
            - {id: node-2, level: node, parent: room-1}
            - {id: node-3, level: node, parent: room-1}
          pools:
            - {id: hot-1, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:1", capacity: 5000PB, credentials: "file:k"}
            - {id: warm-1, domain: node-2, tier: warm, endpoint: "http://127.0.0.1:2", capacity: 5000PB, credentials: "file:k"}
            - {id: cold-1, domain: node-3, tier: cold, endpoint: "http://127.0.0.1:3", capacity: 5000PB, credentials: "file:k"}
          """);

  /**
   * A hospital's intake, in TB a day: {@code base + slope·t}, plus {@code weekend} on Saturdays and
   * Sundays (negative: fewer studies), plus normal noise of {@code sd}.
   */
  record Hospital(String dataset, double base, double slope, double weekend, double sd) {
    double mean(LocalDate day, int t) {
      DayOfWeek w = day.getDayOfWeek();
      boolean weekendDay = w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY;
      return base + slope * t + (weekendDay ? weekend : 0);
    }
  }

  static final List<Hospital> HOSPITALS =
      List.of(
          new Hospital("h01-imaging", 4.0, 0.004, -2.5, 0.4),
          new Hospital("h02-imaging", 2.0, 0.003, -1.2, 0.3),
          new Hospital("h03-imaging", 1.0, 0.001, -0.6, 0.15));

  static final LocalDate FIRST_DAY = LocalDate.of(2025, 1, 6);
  static final int TREND_WINDOW_DAYS = 30;
  static final double TB = 1e12;

  public static void main(String[] args) {
    BenchArgs opts = BenchArgs.parse(args, USAGE);
    int history = opts.integer("history", 200, 30);
    int horizon = opts.integer("horizon", 365, 1);
    int runs = opts.integer("runs", 100, 1);
    int seed = opts.integer("seed", 1, 0);
    System.out.printf(
        Locale.ROOT,
        "backtest: %d hospitals, policy %s; %d days shown, %d hidden, %d runs%n",
        HOSPITALS.size(),
        POLICY,
        history,
        horizon,
        runs);
    Score score = run(history, horizon, runs, seed);
    score.perTier.forEach(
        (tier, s) ->
            System.out.printf(
                Locale.ROOT,
                "%-5s mape_policy=%.4f mape_trend=%.4f coverage95=%.3f%n",
                tier,
                s.policyError / s.points,
                s.trendError / s.points,
                s.covered / (double) s.points));
    System.out.println(score.lastLine(horizon));
  }

  /** Sums of errors and hits over points (run, tier, hidden day). */
  static final class Tally {
    double policyError;
    double trendError;
    long covered;
    long points;

    void add(Tally o) {
      policyError += o.policyError;
      trendError += o.trendError;
      covered += o.covered;
      points += o.points;
    }
  }

  /** The backtest's figures, overall and per tier. */
  record Score(Tally all, Map<String, Tally> perTier) {
    double mapePolicy() {
      return all.policyError / all.points;
    }

    double mapeTrend() {
      return all.trendError / all.points;
    }

    double coverage95() {
      return all.covered / (double) all.points;
    }

    String lastLine(int horizon) {
      return ForecastBench.lastLine(horizon, mapePolicy(), mapeTrend(), coverage95());
    }
  }

  static String lastLine(int horizon, double mapePolicy, double mapeTrend, double coverage95) {
    return String.format(
        Locale.ROOT,
        "forecast: horizon_days=%d mape_policy=%.4f mape_trend=%.4f coverage95=%.3f",
        horizon,
        mapePolicy,
        mapeTrend,
        coverage95);
  }

  /** {@code runs} backtests, run {@code r} with noise from seed {@code seed + r}. */
  static Score run(int history, int horizon, int runs, int seed) {
    Tally all = new Tally();
    Map<String, Tally> perTier = new LinkedHashMap<>();
    for (int r = 0; r < runs; r++) {
      Map<String, Tally> one = backtest(history, horizon, new SplittableRandom(seed + r));
      one.forEach(
          (tier, t) -> {
            perTier.computeIfAbsent(tier, k -> new Tally()).add(t);
            all.add(t);
          });
    }
    return new Score(all, perTier);
  }

  /** One backtest: the figures of each tier. */
  static Map<String, Tally> backtest(int history, int horizon, SplittableRandom random) {
    int days = history + horizon;
    List<DatasetIntake> shown = new ArrayList<>();
    List<DatasetIntake> whole = new ArrayList<>();
    for (Hospital h : HOSPITALS) {
      double[] intake = new double[days];
      for (int t = 0; t < days; t++) {
        intake[t] = Math.max(0, h.mean(FIRST_DAY.plusDays(t), t) + h.sd * random.nextGaussian());
        intake[t] *= TB;
      }
      whole.add(DatasetIntake.fitted(h.dataset, POLICY, intake));
      shown.add(DatasetIntake.fitted(h.dataset, POLICY, java.util.Arrays.copyOf(intake, history)));
    }
    // What the pools held each day: the truth of the hidden days, and the shown days' use that
    // the plain trend is fitted to.
    Map<String, double[]> truth = PolicyForecast.history(whole);
    Map<TierSite, double[]> used = new HashMap<>();
    truth.forEach(
        (tier, use) ->
            used.put(new TierSite(tier, "site-1"), java.util.Arrays.copyOf(use, history)));
    List<Group> groups =
        TierOutlook.of(
            MAP,
            PolicyForecast.project(
                FIRST_DAY.plusDays(history - 1L), shown, horizon, Integer.MAX_VALUE),
            used,
            TREND_WINDOW_DAYS,
            horizon);
    Map<String, Tally> out = new LinkedHashMap<>();
    for (Group g : groups) {
      double[] actual = truth.get(g.tier());
      Tally t = new Tally();
      for (int i = 1; i <= horizon; i++) {
        double y = actual[history - 1 + i];
        if (y <= 0) {
          continue;
        }
        t.policyError += Math.abs(g.mean()[i] - y) / y;
        t.trendError += Math.abs(g.trend()[i] - y) / y;
        if (y >= g.bound(i, 0.95, false) && y <= g.bound(i, 0.95, true)) {
          t.covered++;
        }
        t.points++;
      }
      out.put(g.tier(), t);
    }
    return out;
  }
}
