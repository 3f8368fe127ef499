package io.strata.controller.capacity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.strata.controller.s3.SystemDataset;
import io.strata.fleet.capacity.CapacitySample;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The capacity planner (the {@code capacity:} block of the controller's configuration).
 *
 * <ul>
 *   <li>{@code sampleInterval}: how often the leader records the bytes in use on every pool in the
 *       capacity history, 1 s to 1 day, default 1 h.
 *   <li>{@code window}: how far back forecasts fit their trend, 1 min to 3 years, default 30 days.
 *   <li>{@code keep}: how long samples are kept on the pools before the leader deletes them, at
 *       least the window, at most 10 years; default 400 days (a year to compare with, and a month).
 *   <li>{@code horizon}: how far the purchase plan projects, 30 days to 10 years, default 3 years
 *       (1,095 days).
 *   <li>{@code confidence}: the one-sided confidence that no tier passes its ceiling within the
 *       horizon which the plan buys for, 0.5 to 0.999, default 0.95.
 *   <li>{@code rackModels}: the racks that can be bought, one per tier at most: {@code name},
 *       {@code tier}, {@code usable} (a size, such as {@code 1.2PB}), {@code powerKw}, {@code cost}
 *       and {@code leadTime} (default 90 days, at most the horizon); none by default.
 * </ul>
 */
public class CapacityFactory {
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.DAYS)
  private Duration sampleInterval = Duration.hours(1);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MINUTES)
  @MaxDuration(value = 1096, unit = TimeUnit.DAYS)
  private Duration window = Duration.days(30);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MINUTES)
  @MaxDuration(value = 3653, unit = TimeUnit.DAYS)
  private Duration keep = Duration.days(400);

  @NotNull
  @MinDuration(value = 30, unit = TimeUnit.DAYS)
  @MaxDuration(value = 3653, unit = TimeUnit.DAYS)
  private Duration horizon = Duration.days(1095);

  @jakarta.validation.constraints.DecimalMin("0.5")
  @jakarta.validation.constraints.DecimalMax("0.999")
  private double confidence = 0.95;

  @jakarta.validation.Valid @NotNull
  private java.util.List<RackModelFactory> rackModels = new java.util.ArrayList<>();

  /** Checked with the other settings, so that a bad pair stops start-up naming both. */
  @JsonIgnore
  @AssertTrue(
      message =
          "is false: each of capacity.rackModels needs a leadTime within capacity.horizon, and"
              + " a tier of its own")
  public boolean isRackModelsWithinHorizon() {
    if (horizon == null || rackModels == null) {
      return true;
    }
    java.util.Set<String> tiers = new java.util.HashSet<>();
    for (RackModelFactory m : rackModels) {
      if (m.getLeadTime() != null
          && m.getLeadTime().toJavaDuration().compareTo(horizon.toJavaDuration()) > 0) {
        return false;
      }
      if (m.getTier() != null && !tiers.add(m.getTier())) {
        return false;
      }
    }
    return true;
  }

  /** The planner's settings, as the plan takes them. */
  public CapacityPlanner.Settings planSettings() {
    return new CapacityPlanner.Settings(
        (int) horizon.toJavaDuration().toDays(),
        confidence,
        rackModels.stream().map(RackModelFactory::model).toList());
  }

  /** Checked with the other settings, so that a bad pair stops start-up naming both. */
  @JsonIgnore
  @AssertTrue(message = "is false: capacity.keep must be at least capacity.window")
  public boolean isKeepAtLeastWindow() {
    return keep == null
        || window == null
        || keep.toJavaDuration().compareTo(window.toJavaDuration()) >= 0;
  }

  /**
   * Builds this replica's capacity history over the system dataset; the application manages it.
   *
   * @param fleet takes a sample of the fleet as it is now
   */
  public CapacityHistory build(
      ObjectMapper json,
      Clock clock,
      SystemDataset dataset,
      Supplier<CapacitySample> fleet,
      BooleanSupplier leader,
      String replicaId) {
    return new CapacityHistory(
        dataset,
        fleet,
        leader,
        replicaId,
        clock,
        sampleInterval.toJavaDuration(),
        window.toJavaDuration(),
        keep.toJavaDuration(),
        json);
  }

  @JsonProperty
  public Duration getSampleInterval() {
    return sampleInterval;
  }

  @JsonProperty
  public void setSampleInterval(Duration sampleInterval) {
    this.sampleInterval = sampleInterval;
  }

  @JsonProperty
  public Duration getWindow() {
    return window;
  }

  @JsonProperty
  public void setWindow(Duration window) {
    this.window = window;
  }

  @JsonProperty
  public Duration getHorizon() {
    return horizon;
  }

  @JsonProperty
  public void setHorizon(Duration horizon) {
    this.horizon = horizon;
  }

  @JsonProperty
  public double getConfidence() {
    return confidence;
  }

  @JsonProperty
  public void setConfidence(double confidence) {
    this.confidence = confidence;
  }

  @JsonProperty
  public java.util.List<RackModelFactory> getRackModels() {
    return rackModels;
  }

  @JsonProperty
  public void setRackModels(java.util.List<RackModelFactory> rackModels) {
    this.rackModels = rackModels;
  }

  @JsonProperty
  public Duration getKeep() {
    return keep;
  }

  @JsonProperty
  public void setKeep(Duration keep) {
    this.keep = keep;
  }
}
