package io.strata.fleet.capacity;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every tier's use day by day over a horizon, from each dataset's intake pushed through its
 * policy's phases ({@link PhaseFlow}): pure, no I/O.
 *
 * <p>Each dataset's intake is modelled from its history ({@link IntakeModel}: trend and weekly
 * profile by least squares); the data already written moves on through the phases as it ages, and
 * the future days' fitted intake follows it. A tier's projected use on a day is therefore the sum,
 * over datasets, of a known part (the history, aged) and a weighted sum of future intakes, whose
 * prediction variance the model gives exactly. Datasets are independent, so means and variances
 * add; the interval uses Student's t with the fewest degrees of freedom of the datasets fitted (the
 * widest), so that it is never narrower than any one dataset's own.
 *
 * <p>A dataset's stock may be given by age ({@link AgeProfile}), as the capacity history records
 * it: then what it holds today ages through the phases from its recorded ages, and its history's
 * intake serves only to fit the days to come.
 *
 * <p>A fitted intake below zero is taken as zero: data is not unwritten.
 */
public final class PolicyForecast {
  private PolicyForecast() {}

  /**
   * One dataset's intake.
   *
   * @param dataset its name
   * @param flow its policy's phases
   * @param intake bytes written on each day of the history, oldest first; the last is the day the
   *     forecast is made from (the same day for every dataset)
   * @param plannedPerDay for a dataset being onboarded: the bytes it will write every day from
   *     tomorrow on, taken as known; null to fit {@code intake}
   * @param net whether the intake is a net change that may be below zero (a tier's own daily
   *     growth, when no dataset's intake is known), which the projection then does not floor at 0
   * @param stock what the dataset holds on the last day of the history, by age ({@link
   *     AgeProfile}): it ages through the phases from there, and the history's intake is only
   *     fitted, not aged too (it is in the stock); null to age the history's intake itself
   */
  public record DatasetIntake(
      String dataset,
      PhaseFlow flow,
      double[] intake,
      Double plannedPerDay,
      boolean net,
      long[] stock) {
    public DatasetIntake {
      intake = intake.clone();
      stock = stock == null ? null : stock.clone();
      if (plannedPerDay == null && intake.length < IntakeModel.MIN_DAYS) {
        throw new IllegalArgumentException(
            "dataset '"
                + dataset
                + "': "
                + intake.length
                + " days of intake, fewer than the "
                + IntakeModel.MIN_DAYS
                + " a model needs");
      }
      if (plannedPerDay != null
          && !(plannedPerDay >= 0 && plannedPerDay < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "dataset '" + dataset + "': intake per day " + plannedPerDay + " is not 0 or more");
      }
    }

    public DatasetIntake(
        String dataset, PhaseFlow flow, double[] intake, Double plannedPerDay, boolean net) {
      this(dataset, flow, intake, plannedPerDay, net, null);
    }

    /** A dataset fitted from its history. */
    public static DatasetIntake fitted(String dataset, PhaseFlow flow, double[] intake) {
      return new DatasetIntake(dataset, flow, intake, null, false);
    }

    /**
     * A dataset whose stock is known by age: {@code stock} ages through the phases from the last
     * day of the history, and {@code intake}, the daily increase of its bytes, is fitted for the
     * days after.
     */
    public static DatasetIntake fitted(
        String dataset, PhaseFlow flow, double[] intake, long[] stock) {
      return new DatasetIntake(dataset, flow, intake, null, false, stock);
    }

    /**
     * A tier's own daily growth, {@code growth[t]} bytes on day {@code t}, fitted and projected as
     * one copy kept forever on that tier: the trend with its weekly profile and intervals, for when
     * the intake of the datasets on it is not known.
     */
    public static DatasetIntake net(String tier, double[] growth) {
      PhaseFlow kept = new PhaseFlow(new int[] {0}, List.of(Map.of(tier, 1)), Integer.MAX_VALUE);
      return new DatasetIntake("growth of " + tier, kept, growth, null, true);
    }

    /** A dataset onboarded from tomorrow, writing {@code perDay} bytes a day. */
    public static DatasetIntake planned(String dataset, PhaseFlow flow, double perDay) {
      return new DatasetIntake(dataset, flow, new double[0], perDay, false);
    }
  }

  /**
   * A tier's projected use.
   *
   * @param tier the tier
   * @param mean expected bytes on the tier {@code i} days after the last day of the history; index
   *     0 is that day itself
   * @param variance the prediction variance of each, bytes²; 0 at index 0
   * @param degreesOfFreedom of the t distribution the interval is read from
   */
  public record Projection(String tier, double[] mean, double[] variance, int degreesOfFreedom) {
    /** The bound of the two-sided {@code level} interval on day {@code i}: lower or upper. */
    public double bound(int i, double level, boolean upper) {
      double half = IntakeModel.tQuantile(level, degreesOfFreedom) * Math.sqrt(variance[i]);
      return upper ? mean[i] + half : mean[i] - half;
    }

    /** The horizon in days: the last index. */
    public int horizonDays() {
      return mean.length - 1;
    }
  }

  /**
   * Each tier's projection over {@code horizonDays} after the last day of the history.
   *
   * @param fitDays how many of the newest days of each history the intake model is fitted to (all
   *     of them when fewer); the older days still age through the phases
   * @throws IllegalArgumentException when the histories end on different days
   */
  public static Map<String, Projection> project(
      LocalDate lastDay, List<DatasetIntake> datasets, int horizonDays, int fitDays) {
    if (horizonDays < 1) {
      throw new IllegalArgumentException("horizon: " + horizonDays + " days is not 1 or more");
    }
    Map<String, double[]> mean = new TreeMap<>();
    Map<String, double[]> variance = new TreeMap<>();
    int df = Integer.MAX_VALUE;
    // Datasets under one policy share its copies per tier, summed over ages.
    Map<List<Object>, AgeProfile.OnTier> onTier = new java.util.HashMap<>();
    for (DatasetIntake d : datasets) {
      DatasetProjection p = project(lastDay, d, horizonDays, fitDays, onTier);
      if (p.model != null) {
        df = Math.min(df, p.model.degreesOfFreedom());
      }
      for (String tier : d.flow().tiers()) {
        add(mean.computeIfAbsent(tier, k -> new double[horizonDays + 1]), p.mean.get(tier));
        add(variance.computeIfAbsent(tier, k -> new double[horizonDays + 1]), p.variance.get(tier));
      }
    }
    Map<String, Projection> out = new LinkedHashMap<>();
    int dof = df == Integer.MAX_VALUE ? 1_000_000 : df;
    for (String tier : mean.keySet()) {
      out.put(tier, new Projection(tier, mean.get(tier), variance.get(tier), dof));
    }
    return out;
  }

  private static void add(double[] into, double[] values) {
    for (int i = 0; i < into.length; i++) {
      into[i] += values[i];
    }
  }

  /** One dataset's contribution to each of its tiers. */
  private record DatasetProjection(
      IntakeModel model, Map<String, double[]> mean, Map<String, double[]> variance) {}

  private static DatasetProjection project(
      LocalDate lastDay,
      DatasetIntake d,
      int horizonDays,
      int fitDays,
      Map<List<Object>, AgeProfile.OnTier> onTier) {
    int n = d.intake().length;
    int days = n + horizonDays;
    IntakeModel model = null;
    int offset = 0;
    if (d.plannedPerDay() == null) {
      int m = Math.min(n, Math.max(fitDays, IntakeModel.MIN_DAYS));
      offset = n - m;
      double[] fitted = java.util.Arrays.copyOfRange(d.intake(), offset, n);
      model = IntakeModel.fit(lastDay.minusDays(m - 1L), fitted);
    }
    // The intake of every day, history then expected; and, for the future days only, the prefix
    // sums of their design rows and of ones, which the variance needs.
    double[] intake = new double[days];
    if (d.stock() == null) {
      System.arraycopy(d.intake(), 0, intake, 0, n);
    }
    int p = model == null ? 0 : model.parameters();
    double[][] rows = new double[p][days];
    double[] ones = new double[days];
    for (int t = n; t < days; t++) {
      if (model == null) {
        intake[t] = d.plannedPerDay();
      } else {
        double expected = model.mean(t - offset);
        intake[t] = d.net() ? expected : Math.max(0, expected);
        double[] row = model.row(t - offset);
        for (int i = 0; i < p; i++) {
          rows[i][t] = row[i];
        }
        ones[t] = 1;
      }
    }
    double[] prefix = PhaseFlow.prefix(intake, days);
    double[][] rowPrefix = new double[p][];
    for (int i = 0; i < p; i++) {
      rowPrefix[i] = PhaseFlow.prefix(rows[i], days);
    }
    double[] onePrefix = PhaseFlow.prefix(ones, days);
    Map<String, double[]> mean = new LinkedHashMap<>();
    Map<String, double[]> variance = new LinkedHashMap<>();
    PhaseFlow flow = d.flow();
    double[] g = new double[p];
    for (String tier : flow.tiers()) {
      double[] mu = new double[horizonDays + 1];
      double[] var = new double[horizonDays + 1];
      AgeProfile.OnTier stock =
          d.stock() == null
              ? null
              : onTier.computeIfAbsent(
                  List.of(flow, tier), k -> new AgeProfile.OnTier(flow, tier, horizonDays));
      int[] copies = flow.copiesOn(tier);
      for (int i = 0; i <= horizonDays; i++) {
        int day = n - 1 + i;
        mu[i] = day < 0 ? 0 : flow.weighted(copies, prefix, day, 1);
        if (stock != null) {
          mu[i] += stock.bytes(d.stock(), i);
        }
        if (model != null && i > 0) {
          for (int k = 0; k < p; k++) {
            g[k] = flow.weighted(copies, rowPrefix[k], day, 1);
          }
          var[i] = model.sumVariance(g, flow.weighted(copies, onePrefix, day, 2));
        }
      }
      mean.put(tier, mu);
      variance.put(tier, var);
    }
    return new DatasetProjection(model, mean, variance);
  }

  /** The plain trend: a least-squares line through {@code used}, one value a day, oldest first. */
  public static double[] trend(double[] used, int windowDays, int horizonDays) {
    org.apache.commons.math3.stat.regression.SimpleRegression line =
        new org.apache.commons.math3.stat.regression.SimpleRegression();
    int from = Math.max(0, used.length - windowDays);
    for (int t = from; t < used.length; t++) {
      line.addData(t, used[t]);
    }
    double slope = line.getN() < 2 ? 0 : line.getSlope();
    double newest = used.length == 0 ? 0 : used[used.length - 1];
    double[] out = new double[horizonDays + 1];
    for (int i = 0; i <= horizonDays; i++) {
      out[i] = newest + slope * i;
    }
    return out;
  }

  /** The tiers' use on each day of the history itself, as the flow of the intake given makes it. */
  public static Map<String, double[]> history(List<DatasetIntake> datasets) {
    Map<String, double[]> out = new TreeMap<>();
    for (DatasetIntake d : datasets) {
      int n = d.intake().length;
      for (String tier : d.flow().tiers()) {
        double[] use = d.flow().project(tier, d.intake(), n);
        double[] sum = out.computeIfAbsent(tier, k -> new double[n]);
        if (sum.length != n) {
          throw new IllegalArgumentException("the datasets' histories differ in length");
        }
        add(sum, use);
      }
    }
    return out;
  }
}
