package io.strata.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * A scenario's change to the fleet, and how the run tells that the controller has noticed it,
 * queued its work and finished it: the pools it takes away, empties or adds, what must move, and
 * the preview API's answer for the equivalent change.
 */
final class FleetChange {
  private final FleetSim sim;
  private final FleetOptions o;

  /** What the change takes away or empties, and what must be back or moved before it is done. */
  private final Set<String> affectedPools = new HashSet<>();

  private long bytesToMove;

  /** What the preview API said of the equivalent change. */
  record PreviewFigures(long copies, long bytes, double etaFleetSeconds) {}

  FleetChange(FleetSim sim) {
    this.sim = sim;
    this.o = sim.options;
  }

  /** The bytes the change's pools held (lost or drained) when it happened. */
  long bytesToMove() {
    return bytesToMove;
  }

  /** The preview API's answer for the change about to happen, where it has an equivalent. */
  PreviewFigures preview() throws Exception {
    String body =
        switch (o.scenario()) {
          case RACK_LOST -> body("lose", firstRack());
          case ROOM_POWER_LOST -> body("lose", sim.layout.firstRoom());
          case ROOM_DRAINED -> body("drain", sim.layout.firstRoom());
          case RACKS_ADDED -> addPoolsBody();
          case STEADY -> null;
        };
    if (body == null) {
      return null;
    }
    JsonNode answer = sim.controller.post("operator", "api/v1/previews", body);
    JsonNode m = answer.get("movement");
    JsonNode eta = m.get("etaSeconds");
    return new PreviewFigures(
        m.get("copies").asLong(),
        m.get("bytes").asLong(),
        eta == null || eta.isNull() ? Double.NaN : eta.asDouble() * o.timeScale());
  }

  private static String body(String change, String domain) {
    return "{\"change\": \"" + change + "\", \"domain\": \"" + domain + "\"}";
  }

  private String addPoolsBody() {
    StringBuilder pools = new StringBuilder();
    for (FleetLayout.PoolSite s : sim.layout.addable) {
      pools.append(pools.length() == 0 ? "" : ", ").append(sim.layout.poolEntry(s));
    }
    return "{\"change\": \"add-pools\", \"pools\": [" + pools + "]}";
  }

  private String firstRack() {
    return sim.layout.sites.values().iterator().next().rack();
  }

  void inject() throws Exception {
    switch (o.scenario()) {
      case RACK_LOST -> powerOff(sim.layout.sites.values().iterator().next().pool());
      case ROOM_POWER_LOST -> {
        for (FleetLayout.PoolSite s : sim.layout.sites.values()) {
          if (s.room().equals(sim.layout.firstRoom())) {
            powerOff(s.pool());
          }
        }
      }
      case ROOM_DRAINED -> {
        for (FleetLayout.PoolSite s : sim.layout.sites.values()) {
          if (s.room().equals(sim.layout.firstRoom())) {
            affectedPools.add(s.pool());
            bytesToMove += bytesOn(s.pool());
          }
        }
        sim.controller.post(
            "operator", "api/v1/cluster-map/domains/" + sim.layout.firstRoom() + "/drain", "");
      }
      case RACKS_ADDED -> addRacks();
      case STEADY -> {}
    }
  }

  /** The pools the change took away, emptied or added. */
  Set<String> affectedPools() {
    return Set.copyOf(affectedPools);
  }

  private void powerOff(String pool) {
    affectedPools.add(pool);
    bytesToMove += bytesOn(pool);
    sim.pools.setReachable(pool, false);
    sim.driver.ofPool(pool).forEach(SimAgent::powerOff);
  }

  private long bytesOn(String pool) {
    return sim.pools.contents(pool).values().stream().mapToLong(SimPools.SimObject::size).sum();
  }

  private void addRacks() throws Exception {
    for (FleetLayout.PoolSite s : sim.layout.addable) {
      sim.pools.add(s.pool());
      sim.sites.put(s.pool(), s);
      affectedPools.add(s.pool());
      sim.controller.post("admin", "api/v1/cluster-map/pools", sim.layout.poolEntry(s));
    }
    sim.driver.start(sim.agents(sim.layout.addableAgents));
  }

  /** The controller shows the change: agents down, or the pools' new state. */
  boolean detected() throws Exception {
    return switch (o.scenario()) {
      case RACK_LOST, ROOM_POWER_LOST -> agentsDown();
      case ROOM_DRAINED -> poolsAre("draining");
      case RACKS_ADDED -> poolsAre("up");
      case STEADY -> true;
    };
  }

  /**
   * The controller may act on the detected change: a lost pool's grace has ended and the leader has
   * marked it down; a drain or an addition as soon as it is detected, so at once.
   */
  boolean actionable() throws Exception {
    return !o.scenario().losesCopies() || poolsAre("down");
  }

  /** Every agent of the affected pools shows down. */
  private boolean agentsDown() throws Exception {
    for (String pool : affectedPools) {
      for (SimAgent a : sim.driver.ofPool(pool)) {
        String state =
            sim.controller.get("viewer", "api/v1/agents/" + a.id()).path("state").asText();
        if (!state.equalsIgnoreCase("down")) {
          return false;
        }
      }
    }
    return true;
  }

  /** Every affected pool is in {@code state} in the controller's map. */
  private boolean poolsAre(String state) throws Exception {
    for (String pool : affectedPools) {
      String now =
          sim.controller.get("viewer", "api/v1/cluster-map/pools/" + pool).path("state").asText();
      if (!now.equalsIgnoreCase(state)) {
        return false;
      }
    }
    return true;
  }

  /** The controller has queued the change's work: repairs, drains, or copies to new pools. */
  boolean planned() throws Exception {
    for (JsonNode t : sim.controller.get("viewer", "api/v1/tasks").path("tasks")) {
      if (!t.at("/task/type").asText().equals("COPY")) {
        continue;
      }
      String priority = t.path("priority").asText();
      boolean matches =
          switch (o.scenario()) {
            case RACK_LOST, ROOM_POWER_LOST ->
                priority.equals("DATA_AT_RISK") || priority.equals("MISSING_COPY");
            case ROOM_DRAINED -> priority.equals("DRAIN");
            case RACKS_ADDED -> affectedPools.contains(t.at("/task/targetPool").asText());
            case STEADY -> false;
          };
      if (matches) {
        return true;
      }
    }
    return false;
  }

  /** Every copy is where the policy wants it, and the controller counts every object in place. */
  boolean done() {
    return placed() && sim.controllerSeesAllInPlace();
  }

  /**
   * The objects short of copies at the last look ({@link #noneShort}), null before the first: a
   * look re-checks only those, where counting every object's copies took the watch a second of wall
   * time at 100,000 objects, and its next look waited four times that.
   */
  private Set<String> shortOfCopies;

  /**
   * Whether no object is short of copies outside {@code excluded}: the objects short at the last
   * look are checked again, and once none is, every object is, to be sure.
   */
  private boolean noneShort(Set<String> excluded) {
    if (noneShortConfirmed) {
      return true; // Nothing loses copies after the change.
    }
    if (shortOfCopies == null) {
      shortOfCopies = sim.underReplicatedKeys(excluded);
    }
    shortOfCopies.removeIf(key -> sim.whole(key, excluded));
    if (!shortOfCopies.isEmpty()) {
      return false;
    }
    shortOfCopies = sim.underReplicatedKeys(excluded);
    noneShortConfirmed = shortOfCopies.isEmpty();
    return noneShortConfirmed;
  }

  private boolean noneShortConfirmed;

  /** Every copy is where the policy wants it, in the pools, whatever the controller counts. */
  boolean placed() {
    return switch (o.scenario()) {
      case RACK_LOST, ROOM_POWER_LOST -> noneShort(Set.of());
      case ROOM_DRAINED ->
          affectedPools.stream().allMatch(p -> sim.pools.contents(p).isEmpty())
              && noneShort(affectedPools);
      case RACKS_ADDED -> sim.misplacedShare() == 0;
      case STEADY -> true;
    };
  }
}
