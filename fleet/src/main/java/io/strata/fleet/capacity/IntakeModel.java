package io.strata.fleet.capacity;

import java.time.DayOfWeek;
import java.time.LocalDate;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * A dataset's intake (bytes written per day) as a linear trend with a weekly profile, fitted by
 * ordinary least squares (Apache Commons Math): {@code y_t = b0 + b1·t + Σ_{w=Tue..Sun} c_w·[day t
 * is w] + e_t}, with {@code e_t} independent, zero-mean and of one variance. The weekly terms are
 * fitted from four weeks of history on; with fewer days the model is the trend alone.
 *
 * <p>Intervals are the regression's prediction intervals: a weighted sum {@code Σ_j w_j·y_j} of
 * future days {@code j} has the estimate {@code g'b} with {@code g = Σ_j w_j·x_j}, and its
 * prediction error the variance {@code s²·(g'(X'X)⁻¹g + Σ_j w_j²)}: the uncertainty of the fitted
 * coefficients and the future days' own noise. It is Student-t distributed with {@code n − p}
 * degrees of freedom when the errors are normal.
 *
 * <p>Immutable and thread-safe.
 */
public final class IntakeModel {
  /** Days of history from which the weekly profile is fitted. */
  public static final int WEEKLY_FROM_DAYS = 28;

  /** The fewest days a model is fitted from. */
  public static final int MIN_DAYS = 3;

  private final LocalDate firstDay;
  private final int days;
  private final boolean weekly;
  private final double[] beta;
  private final double[][] covariance;
  private final double errorVariance;
  private final int degreesOfFreedom;

  private IntakeModel(
      LocalDate firstDay,
      int days,
      boolean weekly,
      double[] beta,
      double[][] covariance,
      double errorVariance,
      int degreesOfFreedom) {
    this.firstDay = firstDay;
    this.days = days;
    this.weekly = weekly;
    this.beta = beta;
    this.covariance = covariance;
    this.errorVariance = errorVariance;
    this.degreesOfFreedom = degreesOfFreedom;
  }

  /**
   * Fits {@code intake[t]}, the bytes written on day {@code firstDay + t}.
   *
   * @throws IllegalArgumentException with fewer than {@value #MIN_DAYS} days
   */
  public static IntakeModel fit(LocalDate firstDay, double[] intake) {
    int n = intake.length;
    if (n < MIN_DAYS) {
      throw new IllegalArgumentException(
          "an intake model needs at least " + MIN_DAYS + " days of history, got " + n);
    }
    boolean weekly = n >= WEEKLY_FROM_DAYS;
    double[][] x = new double[n][];
    for (int t = 0; t < n; t++) {
      x[t] = regressors(firstDay, t, weekly);
    }
    OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
    ols.newSampleData(intake.clone(), x);
    double[] beta = ols.estimateRegressionParameters();
    // (X'X)⁻¹, intercept first, as Commons Math gives it before scaling by the error variance.
    RealMatrix inverse =
        org.apache.commons.math3.linear.MatrixUtils.createRealMatrix(
            ols.estimateRegressionParametersVariance());
    int p = beta.length;
    int df = n - p;
    double s2 = df > 0 ? ols.estimateErrorVariance() : 0;
    return new IntakeModel(firstDay, n, weekly, beta, inverse.getData(), s2, Math.max(df, 1));
  }

  /** The regressors of day {@code t} without the intercept: t, then one per weekday but Monday. */
  private static double[] regressors(LocalDate firstDay, int t, boolean weekly) {
    double[] x = new double[weekly ? 7 : 1];
    x[0] = t;
    if (weekly) {
      DayOfWeek w = firstDay.plusDays(t).getDayOfWeek();
      if (w != DayOfWeek.MONDAY) {
        x[w.getValue() - 1] = 1;
      }
    }
    return x;
  }

  /** The design row of day {@code t} with the intercept. */
  double[] row(int t) {
    double[] x = regressors(firstDay, t, weekly);
    double[] row = new double[x.length + 1];
    row[0] = 1;
    System.arraycopy(x, 0, row, 1, x.length);
    return row;
  }

  /** The fitted mean intake of day {@code t} (counted from the first day of the history). */
  public double mean(int t) {
    double[] row = row(t);
    double y = 0;
    for (int i = 0; i < row.length; i++) {
      y += beta[i] * row[i];
    }
    return y;
  }

  /**
   * The variance of the prediction error of {@code Σ w_j·y_j}, given {@code g = Σ w_j·x_j} and
   * {@code Σ w_j²}.
   */
  public double sumVariance(double[] g, double squaredWeights) {
    double q = 0;
    for (int i = 0; i < g.length; i++) {
      for (int j = 0; j < g.length; j++) {
        q += g[i] * covariance[i][j] * g[j];
      }
    }
    return errorVariance * (q + squaredWeights);
  }

  /** The number of coefficients, the intercept included: the length of a design row. */
  public int parameters() {
    return beta.length;
  }

  /** Days of history fitted. */
  public int days() {
    return days;
  }

  /** Whether the weekly profile was fitted. */
  public boolean weekly() {
    return weekly;
  }

  /** The estimated variance of one day's noise, in bytes². */
  public double errorVariance() {
    return errorVariance;
  }

  /** The residual degrees of freedom, {@code n − p}, at least 1. */
  public int degreesOfFreedom() {
    return degreesOfFreedom;
  }

  /** The growth of the daily intake per day: the trend's slope. */
  public double slope() {
    return beta[1];
  }

  /** The two-sided quantile of Student's t for {@code level} (0.95 gives t at 0.975). */
  public static double tQuantile(double level, int degreesOfFreedom) {
    return new TDistribution(null, degreesOfFreedom).inverseCumulativeProbability(0.5 + level / 2);
  }
}
