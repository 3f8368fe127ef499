package io.strata.controller;

import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;

/** The smallest valid topology: one pool, {@code pool-1}, on node {@code node-1}. */
public final class OnePoolTopology {
  public static final String TEXT =
      """
      tiers:
        - {name: hot, fillCeiling: 0.85}
      domains:
        - {id: region-1, level: region}
        - {id: site-1, level: site, parent: region-1}
        - {id: rack-1, level: rack, parent: site-1}
        - {id: node-1, level: node, parent: rack-1}
      pools:
        - {id: pool-1, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:9000", capacity: 1TiB, credentials: "file:pool-1"}
      """;

  private OnePoolTopology() {}

  public static ClusterMap map() {
    return TopologyFile.parse("topology.yaml", TEXT);
  }
}
