package io.strata.topology.placement;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random fleets for placement tests: region, site, rooms, racks, nodes, one pool per node. */
final class Fleets {
  static final List<Tier> TIERS =
      List.of(new Tier("hot", "nvme", "EC 8+3", 100, 0.85), new Tier("cold", "hdd", "EC", 10, 0.9));

  private Fleets() {}

  /**
   * A fleet drawn from {@code seed}: {@code rooms} rooms of 1..{@code maxRacks} racks of 1..{@code
   * maxNodes} nodes; pools of tier hot or cold with weights 0.5..4.
   */
  static ClusterMap random(long seed, int rooms, int maxRacks, int maxNodes) {
    Random random = new Random(seed);
    List<Domain> domains = new ArrayList<>();
    List<Pool> pools = new ArrayList<>();
    domains.add(new Domain("reg", DomainLevel.REGION, null, null, null));
    domains.add(new Domain("site", DomainLevel.SITE, "reg", null, null));
    for (int m = 0; m < rooms; m++) {
      String room = "room" + m;
      domains.add(new Domain(room, DomainLevel.ROOM, "site", null, null));
      int racks = 1 + random.nextInt(maxRacks);
      for (int k = 0; k < racks; k++) {
        String rack = room + "-k" + k;
        domains.add(new Domain(rack, DomainLevel.RACK, room, null, null));
        int nodes = 1 + random.nextInt(maxNodes);
        for (int n = 0; n < nodes; n++) {
          String node = rack + "-n" + n;
          domains.add(new Domain(node, DomainLevel.NODE, rack, null, null));
          // About a third cold, but never all of them: the properties place on tier hot.
          boolean first = m == 0 && k == 0 && n == 0;
          String tier = random.nextInt(3) == 0 && !first ? "cold" : "hot";
          double weight = 0.5 * (1 + random.nextInt(8));
          pools.add(pool(node + "-p", node, tier, weight));
        }
      }
    }
    return ClusterMap.of(1, TIERS, domains, pools);
  }

  /** A uniform fleet: every pool on tier hot with weight 1. */
  static ClusterMap uniform(int rooms, int racks, int nodes) {
    List<Domain> domains = new ArrayList<>();
    List<Pool> pools = new ArrayList<>();
    domains.add(new Domain("reg", DomainLevel.REGION, null, null, null));
    domains.add(new Domain("site", DomainLevel.SITE, "reg", null, null));
    for (int m = 0; m < rooms; m++) {
      domains.add(new Domain("room" + m, DomainLevel.ROOM, "site", null, null));
      for (int k = 0; k < racks; k++) {
        String rack = "room" + m + "-k" + k;
        domains.add(new Domain(rack, DomainLevel.RACK, "room" + m, null, null));
        for (int n = 0; n < nodes; n++) {
          domains.add(new Domain(rack + "-n" + n, DomainLevel.NODE, rack, null, null));
          pools.add(pool(rack + "-n" + n + "-p", rack + "-n" + n, "hot", 1));
        }
      }
    }
    return ClusterMap.of(1, TIERS, domains, pools);
  }

  static Pool pool(String id, String domain, String tier, double weight) {
    return new Pool(id, domain, tier, "http://" + id, 1L << 40, "env:X", null, weight);
  }

  static PlacementRule rule(DomainLevel spread, String tier, int count) {
    return new PlacementRule(spread, List.of(new TierCopies(tier, count)));
  }
}
