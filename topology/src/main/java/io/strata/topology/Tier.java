package io.strata.topology;

import java.util.Objects;

/**
 * A class of pools with the same media and cost.
 *
 * @param name e.g. {@code hot-nvme}
 * @param media e.g. {@code nvme}, {@code hdd}, {@code tape-backed}
 * @param erasure the pools' own redundancy, e.g. {@code EC 8+3}; informative
 * @param costPerTbMonth cost of one terabyte for one month, in the center's currency
 * @param fillCeiling share of capacity above which a pool of this tier takes no new copies (0..1]
 */
public record Tier(
    String name, String media, String erasure, double costPerTbMonth, double fillCeiling) {
  public Tier {
    Objects.requireNonNull(name, "name");
  }
}
