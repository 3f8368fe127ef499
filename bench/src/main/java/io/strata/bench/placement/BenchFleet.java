package io.strata.bench.placement;

import io.strata.topology.ByteSize;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark fleet: one region, one site, {@code rooms} rooms of {@code racksPerRoom} racks of
 * {@code nodesPerRack} nodes, one 100 TiB pool per node, all on one tier.
 */
public final class BenchFleet {
  /** The tier every bench pool is on. */
  public static final String TIER = "warm-hdd";

  private static final long CAPACITY = 100 * ByteSize.TIB;

  private BenchFleet() {}

  /** Builds the fleet at epoch 1. */
  public static ClusterMap build(int rooms, int racksPerRoom, int nodesPerRack) {
    List<Domain> domains = new ArrayList<>();
    List<Pool> pools = new ArrayList<>();
    domains.add(new Domain("region", DomainLevel.REGION, null, null, null));
    domains.add(new Domain("site", DomainLevel.SITE, "region", null, null));
    for (int m = 0; m < rooms; m++) {
      domains.add(new Domain(room(m), DomainLevel.ROOM, "site", null, null));
      for (int k = 0; k < racksPerRoom; k++) {
        addRack(domains, pools, m, String.format("%s-r%04d", room(m), k), nodesPerRack);
      }
    }
    return ClusterMap.of(1, List.of(new Tier(TIER, "hdd", "EC 12+4", 35, 0.9)), domains, pools);
  }

  /** The fleet with {@code racks} new racks of {@code nodesPerRack} nodes in room 0. */
  public static ClusterMap withRacksAdded(ClusterMap map, int racks, int nodesPerRack) {
    List<Domain> domains = new ArrayList<>(map.domains().values());
    List<Pool> pools = new ArrayList<>(map.pools().values());
    for (int k = 0; k < racks; k++) {
      addRack(domains, pools, 0, String.format("%s-new%04d", room(0), k), nodesPerRack);
    }
    return ClusterMap.of(
        map.epoch() + 1, map.tiers().values(), domains, pools, map.slots(), List.of());
  }

  private static String room(int m) {
    return String.format("room%02d", m);
  }

  private static void addRack(
      List<Domain> domains, List<Pool> pools, int room, String rack, int nodes) {
    domains.add(new Domain(rack, DomainLevel.RACK, room(room), null, null));
    for (int n = 0; n < nodes; n++) {
      String node = rack + "-n" + n;
      domains.add(new Domain(node, DomainLevel.NODE, rack, null, null));
      pools.add(
          new Pool(
              node + "-p",
              node,
              TIER,
              "http://" + node + ":9000",
              CAPACITY,
              "env:POOL_CREDENTIALS",
              null,
              Pool.weightOf(CAPACITY)));
    }
  }
}
