package io.strata.bench.fleet;

import io.strata.bench.BenchArgs;
import java.time.Duration;

/**
 * What {@code strata bench fleet} simulates. Times the fleet sees (heartbeat interval, leases,
 * grace, copy durations) are in fleet seconds; the run takes {@code 1 / timeScale} of them on the
 * wall clock, and the controller is configured with its periods divided by {@code timeScale} and
 * its byte-rate budgets multiplied by it, so that every figure stays on the fleet's scale.
 *
 * @param rooms rooms of the one site
 * @param racksPerRoom racks per room, each with one pool
 * @param nodesPerRack storage nodes per rack, one agent each, all serving the rack's pool
 * @param shards shards of the simulated dataset
 * @param objectsPerShard objects per shard
 * @param objectBytes bytes per object
 * @param timeScale fleet seconds per wall second
 * @param heartbeatSeconds the agents' heartbeat interval, fleet seconds
 * @param poolBytesPerSecond what one pool reads and writes
 * @param rackBytesPerSecond a rack's uplink
 * @param roomBytesPerSecond a room's link to the site's spine
 * @param siteBytesPerSecond a site's link to other sites
 * @param rackBudget the controller's {@code reconcile.rackBytesPerSecond}
 * @param roomBudget the controller's {@code reconcile.roomBytesPerSecond}
 * @param scenario what happens to the fleet
 * @param addedRacks racks the {@code racks-added} scenario brings, spread over the rooms
 * @param balancer whether the live balancer runs (by default an operator holds it still)
 * @param graceSeconds the controller's {@code reconcile.grace}: how long a pool without an up agent
 *     keeps counting its copies before they are made again elsewhere
 * @param warmupSeconds wall seconds the settled fleet runs before the steady window opens, so that
 *     the window measures a controller whose heartbeat path the JIT has compiled, as it is after
 *     its first minute in service, not a JVM still compiling (it comes out of the limit)
 * @param steadySeconds fleet seconds of steady running measured before the change
 * @param limitSeconds wall seconds after which a run stops waiting and reports what it reached
 * @param followers controller replicas started beside the leader, each in a process of its own,
 *     that take the agents' heartbeats and relay their task side to the leader; 0 for agents that
 *     beat to the leader itself
 */
record FleetOptions(
    int rooms,
    int racksPerRoom,
    int nodesPerRack,
    int shards,
    int objectsPerShard,
    long objectBytes,
    double timeScale,
    double heartbeatSeconds,
    double poolBytesPerSecond,
    double rackBytesPerSecond,
    double roomBytesPerSecond,
    double siteBytesPerSecond,
    double rackBudget,
    double roomBudget,
    Scenario scenario,
    int addedRacks,
    boolean balancer,
    double graceSeconds,
    double warmupSeconds,
    double steadySeconds,
    double limitSeconds,
    int followers) {

  static final double GIB = 1024.0 * 1024 * 1024;

  static final String USAGE =
      "strata bench fleet [--scenario steady|rack-lost|room-power-lost|racks-added|room-drained]"
          + " [--rooms N] [--racks-per-room N] [--nodes-per-rack N] [--shards N]"
          + " [--objects-per-shard N] [--object-mib N] [--time-scale X] [--heartbeat-s S]"
          + " [--pool-gibps G] [--rack-gibps G] [--room-gibps G] [--site-gibps G]"
          + " [--rack-budget-gibps G] [--room-budget-gibps G] [--added-racks N] [--balancer]"
          + " [--grace-s S] [--warmup-s S] [--steady-s S] [--limit-s S] [--followers N]"
          + " [--full-scale]";

  /** The design's fleet: 20 rooms of 500 racks of 5 nodes, a million shards. */
  static final int FULL_ROOMS = 20;

  static final int FULL_RACKS_PER_ROOM = 500;
  static final int FULL_SHARDS = 1_000_000;

  /**
   * The default size, a few minutes of wall time on a 2-core machine: 4 rooms of 5 racks of 5
   * nodes, 500 shards. The rack count and the shard count are flags: 1,000 racks and a million
   * shards take 8 minutes, 10,000 racks of one node each and a million shards 15 (bench/README.md);
   * 50,000 simulated agents do not fit beside the controller on 2 cores at their rate.
   */
  static final int REDUCED_ROOMS = 4;

  static final int REDUCED_RACKS_PER_ROOM = 5;
  static final int REDUCED_SHARDS = 500;

  static FleetOptions parse(String[] args) {
    BenchArgs a = BenchArgs.parse(args, USAGE);
    boolean full = a.has("full-scale");
    Scenario scenario = Scenario.named(a.text("scenario", "steady"), a);
    FleetOptions o =
        new FleetOptions(
            a.integer("rooms", full ? FULL_ROOMS : REDUCED_ROOMS, 2),
            a.integer("racks-per-room", full ? FULL_RACKS_PER_ROOM : REDUCED_RACKS_PER_ROOM, 1),
            a.integer("nodes-per-rack", 5, 1),
            a.integer("shards", full ? FULL_SHARDS : REDUCED_SHARDS, 1),
            a.integer("objects-per-shard", 16, 1),
            a.integer("object-mib", 4096, 1) * 1024L * 1024L,
            positive(a, "time-scale", 20),
            positive(a, "heartbeat-s", 10),
            positive(a, "pool-gibps", 4) * GIB,
            // Two 25 Gbit/s uplinks per rack.
            positive(a, "rack-gibps", 50e9 / 8 / GIB) * GIB,
            // 400 Gbit/s from a room to the spine.
            positive(a, "room-gibps", 400e9 / 8 / GIB) * GIB,
            // 100 Gbit/s between sites.
            positive(a, "site-gibps", 100e9 / 8 / GIB) * GIB,
            // The controller's defaults.
            positive(a, "rack-budget-gibps", 2) * GIB,
            positive(a, "room-budget-gibps", 20) * GIB,
            scenario,
            a.integer("added-racks", 50, 1),
            a.has("balancer"),
            // The controller's default: 10 minutes.
            positive(a, "grace-s", 600),
            a.decimal("warmup-s", 30),
            positive(a, "steady-s", 200),
            positive(a, "limit-s", 540),
            a.integer("followers", 0, 0));
    if (o.warmupSeconds() < 0) {
      throw a.bad("--warmup-s must not be negative, got " + o.warmupSeconds());
    }
    if (o.rooms() * o.racksPerRoom() < 2) {
      throw a.bad("the fleet needs at least two racks");
    }
    return o;
  }

  private static double positive(BenchArgs a, String name, double fallback) {
    double v = a.decimal(name, fallback);
    if (v <= 0) {
      throw a.bad("--" + name + " must be positive, got " + v);
    }
    return v;
  }

  int racks() {
    return rooms * racksPerRoom;
  }

  int agents() {
    return racks() * nodesPerRack;
  }

  /** Whether this is the design's full size. */
  boolean fullScale() {
    return rooms >= FULL_ROOMS && racksPerRoom >= FULL_RACKS_PER_ROOM && shards >= FULL_SHARDS;
  }

  /** A fleet period as the wall clock runs it. */
  Duration wall(double fleetSeconds) {
    return Duration.ofNanos(Math.max(1_000_000L, (long) (fleetSeconds / timeScale * 1e9)));
  }

  long shardBytes() {
    return objectsPerShard * objectBytes;
  }
}
