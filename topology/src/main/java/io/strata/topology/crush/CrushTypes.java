package io.strata.topology.crush;

import io.strata.topology.DomainLevel;
import java.util.Map;
import java.util.Optional;

/** How our levels and CRUSH bucket types correspond, with Ceph's default type ids. */
public final class CrushTypes {
  /** Type ids and names as in Ceph's default map, for the types Strata writes. */
  public static final Map<Integer, String> WRITTEN =
      new java.util.TreeMap<>(
          Map.of(
              0,
              "osd",
              1,
              "host",
              3,
              "rack",
              4,
              "row",
              7,
              "room",
              8,
              "datacenter",
              10,
              "region",
              11,
              "root"));

  private CrushTypes() {}

  /** The CRUSH type of a level. */
  public static String of(DomainLevel level) {
    return switch (level) {
      case REGION -> "region";
      case SITE -> "datacenter";
      case ROOM -> "room";
      case ROW -> "row";
      case RACK -> "rack";
      case NODE -> "host";
    };
  }

  /**
   * The level of a CRUSH type; empty for types with no counterpart (chassis, pdu, pod, zone and the
   * like), whose contents join the enclosing bucket, and for root.
   */
  static Optional<DomainLevel> level(String type) {
    return switch (type) {
      case "host" -> Optional.of(DomainLevel.NODE);
      case "rack" -> Optional.of(DomainLevel.RACK);
      case "row" -> Optional.of(DomainLevel.ROW);
      case "room" -> Optional.of(DomainLevel.ROOM);
      case "datacenter" -> Optional.of(DomainLevel.SITE);
      case "region" -> Optional.of(DomainLevel.REGION);
      default -> Optional.empty();
    };
  }
}
