package io.strata.controller.capacity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.strata.fleet.capacity.PurchasePlan;
import io.strata.topology.ByteSize;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * A rack that can be bought, in {@code capacity.rackModels}: {@code name}, {@code tier}, {@code
 * usable} (usable capacity of one rack, a size such as {@code 1.2PB}, more than 0), {@code powerKw}
 * (0 or more, default 0), {@code cost} (0 or more, default 0) and {@code leadTime} (from order to
 * taking copies, 0 or more, default 90 days).
 */
public class RackModelFactory {
  @NotEmpty private String name;
  @NotEmpty private String tier;
  @NotEmpty private String usable;

  @Min(0)
  private double powerKw;

  @Min(0)
  private double cost;

  @NotNull
  @MinDuration(value = 0, unit = TimeUnit.DAYS)
  private Duration leadTime = Duration.days(90);

  /** Checked at start-up, so that a size that does not parse stops it naming the field. */
  @JsonIgnore
  @AssertTrue(message = "is false: usable must be a size of more than 0, such as 1.2PB")
  public boolean isUsableASize() {
    try {
      return usable == null || ByteSize.parse(usable) > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  PurchasePlan.RackModel model() {
    return new PurchasePlan.RackModel(
        name,
        tier,
        ByteSize.parse(usable),
        powerKw,
        cost,
        (int) leadTime.toJavaDuration().toDays());
  }

  @JsonProperty
  public String getName() {
    return name;
  }

  @JsonProperty
  public void setName(String name) {
    this.name = name;
  }

  @JsonProperty
  public String getTier() {
    return tier;
  }

  @JsonProperty
  public void setTier(String tier) {
    this.tier = tier;
  }

  @JsonProperty
  public String getUsable() {
    return usable;
  }

  @JsonProperty
  public void setUsable(String usable) {
    this.usable = usable;
  }

  @JsonProperty
  public double getPowerKw() {
    return powerKw;
  }

  @JsonProperty
  public void setPowerKw(double powerKw) {
    this.powerKw = powerKw;
  }

  @JsonProperty
  public double getCost() {
    return cost;
  }

  @JsonProperty
  public void setCost(double cost) {
    this.cost = cost;
  }

  @JsonProperty
  public Duration getLeadTime() {
    return leadTime;
  }

  @JsonProperty
  public void setLeadTime(Duration leadTime) {
    this.leadTime = leadTime;
  }
}
