package io.strata.bench.fleet;

import java.util.Locale;

/**
 * {@code strata bench fleet}: the real controller (embedded ZooKeeper, Jersey API, reconciler, task
 * queue, leases) driven by simulated agents over HTTP on loopback, over simulated pools that hold
 * sizes and checksums. See {@link FleetOptions#USAGE} and {@code bench/README.md}. Prints a line of
 * figures per phase; the last line is the scenario's summary.
 */
public final class FleetBench {
  private FleetBench() {}

  public static void main(String[] args) throws Exception {
    FleetOptions options = FleetOptions.parse(args);
    if (!options.fullScale()) {
      System.out.printf(
          Locale.ROOT,
          "fleet-sim: REDUCED SCALE %d rooms x %d racks x %d nodes, %d shards (the design's: 20 x"
              + " 500 x 5, 1,000,000 shards; --full-scale asks for it). At full size 50,000"
              + " simulated agents and the controller do not fit 2 cores at 5,000 heartbeats a"
              + " second; 10,000 racks of one node and a million shards take 15 minutes, 1,000"
              + " racks and a million shards 8 (see bench/README.md).%n",
          options.rooms(),
          options.racksPerRoom(),
          options.nodesPerRack(),
          options.shards());
    }
    try (FleetSim sim = new FleetSim(options, FleetSim.tempDir())) {
      FleetFigures figures = new ScenarioRun(sim).run();
      System.out.println(figures.line());
    }
    System.exit(0);
  }
}
