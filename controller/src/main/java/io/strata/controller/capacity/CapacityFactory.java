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
  public Duration getKeep() {
    return keep;
  }

  @JsonProperty
  public void setKeep(Duration keep) {
    this.keep = keep;
  }
}
