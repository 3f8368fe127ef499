package io.strata.controller.datasets;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.strata.fleet.datasets.Dataset;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * One dataset of the controller's configuration: a logical bucket with the same name in every pool
 * that holds part of it.
 *
 * <ul>
 *   <li>{@code name}: an S3 bucket name (3-63 lower-case letters, digits, '-' and '.').
 *   <li>{@code description}: free text, e.g. the hospital that feeds it.
 *   <li>{@code policy}: the storage policy that governs it.
 *   <li>{@code landingPools}: pools where hospitals write new objects.
 *   <li>{@code keepLandingCopy}: keep the landing copy after placement is verified; default false.
 * </ul>
 */
public class DatasetFactory {
  @NotEmpty
  @Pattern(
      regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
      message = "must be an S3 bucket name: 3-63 lower-case letters, digits, '-' or '.'")
  private String name;

  private String description = "";

  private String policy;

  @NotNull private List<String> landingPools = new ArrayList<>();

  private boolean keepLandingCopy = false;

  /** Whether the landing copy stays after placement is verified; default false. */
  @JsonProperty
  public boolean isKeepLandingCopy() {
    return keepLandingCopy;
  }

  @JsonProperty
  public void setKeepLandingCopy(boolean keepLandingCopy) {
    this.keepLandingCopy = keepLandingCopy;
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
  public String getDescription() {
    return description;
  }

  @JsonProperty
  public void setDescription(String description) {
    this.description = description;
  }

  @JsonProperty
  public String getPolicy() {
    return policy;
  }

  @JsonProperty
  public void setPolicy(String policy) {
    this.policy = policy;
  }

  @JsonProperty
  public List<String> getLandingPools() {
    return landingPools;
  }

  @JsonProperty
  public void setLandingPools(List<String> landingPools) {
    this.landingPools = landingPools;
  }

  /** The dataset as a value. */
  public Dataset toDataset() {
    return new Dataset(name, description, policy, List.copyOf(landingPools), keepLandingCopy);
  }
}
