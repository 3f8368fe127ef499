package io.strata.bench.fleet;

import io.strata.bench.BenchArgs;
import java.util.Arrays;

/** What happens to the fleet once it runs steadily. */
enum Scenario {
  /** Nothing: heartbeats, scans and scrubs only. */
  STEADY("steady"),
  /** One rack loses power: its pool and its agents are gone. */
  RACK_LOST("rack-lost"),
  /** One room loses power. */
  ROOM_POWER_LOST("room-power-lost"),
  /** New racks, each with its pool and agents, join the rooms. */
  RACKS_ADDED("racks-added"),
  /** An operator drains a room. */
  ROOM_DRAINED("room-drained");

  final String flag;

  Scenario(String flag) {
    this.flag = flag;
  }

  static Scenario named(String flag, BenchArgs args) {
    return Arrays.stream(values())
        .filter(s -> s.flag.equals(flag))
        .findFirst()
        .orElseThrow(
            () ->
                args.bad(
                    "--scenario takes one of steady, rack-lost, room-power-lost,"
                        + " racks-added, room-drained; got '"
                        + flag
                        + "'"));
  }

  /** Whether copies are lost: the bound is the time their bytes need to be made again. */
  boolean losesCopies() {
    return this == RACK_LOST || this == ROOM_POWER_LOST;
  }
}
