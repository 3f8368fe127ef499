package io.strata.system;

import static io.strata.system.ImagingFleet.OBJECTS;
import static io.strata.system.ImagingFleet.allPools;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.ControllerConfiguration;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on an {@link ImagingFleet} recovering from failures: a copy decayed on disk, a
 * pool lost with its agent, the leading controller dead in the middle of the work.
 */
class ReconcileFailureIT extends OnImagingFleet {
  @Test
  void aCopyThatDecayedOnDiskIsFoundByAScrubAndRepaired() throws Exception {
    fleet.reconcileWith("  scrubInterval: 3s\n");
    EmbeddedApp<ControllerConfiguration> controller =
        placed(40, "every object on the pools of its phase");
    // A copy made by Strata (not the hospital's upload), its bytes changed under its markers.
    var placed = fleet.actual(allPools()).entrySet().iterator().next();
    String key = placed.getKey();
    String poolId =
        placed.getValue().stream().filter(p -> !p.equals("a1-hot")).findFirst().orElseThrow();
    Path file = fleet.objectFile(poolId, key);
    assertThat(file).as("the pool's file of the copy").exists();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);

    await("a scrub finds the decayed copy of " + key + " on " + poolId + " and it is repaired")
        .atMost(TestFleet.TIMEOUT.multipliedBy(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> Arrays.equals(fleet.read(poolId, key), fleet.contents.get(key)));
    fleet.assertEveryCopyVerified(allPools());
    await("the repaired copy no longer counts as failing its scrub")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet
                    .viewer()
                    .fetch(url(controller) + "/metrics")
                    .body()
                    .contains("\nstrata_scrub_failed_copies 0.0\n"));
  }

  @Test
  void copiesOfALostPoolAreReplicatedElsewhereAfterTheGracePeriod() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = placed(OBJECTS / 2, "initial placement");

    fleet.agents.get("b1-hot").close();
    Set<String> survivors = new TreeSet<>(allPools());
    survivors.remove("b1-hot");
    await("hot copies re-replicated off the lost pool")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              Map<String, Set<String>> have = fleet.actual(survivors);
              for (var e : fleet.desired(fleet.currentMap()).entrySet()) {
                Set<String> copies = have.getOrDefault(e.getKey(), Set.of());
                long needed = e.getValue().size();
                if (copies.size() < needed) {
                  return false;
                }
              }
              return true;
            });
    fleet.assertEveryCopyVerified(survivors);
  }

  @Test
  void aSecondControllerFinishesTheWorkWhenTheLeaderDies() throws Exception {
    EmbeddedApp<ControllerConfiguration> first = fleet.startController("replica-1");
    EmbeddedApp<ControllerConfiguration> second = fleet.startController("replica-2");
    fleet.startAgents(url(first) + "," + url(second));
    fleet.hospitalWrites(OBJECTS / 2);
    await("work under way")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet.viewer().getJson(url(first) + "/api/v1/tasks").get("copiedObjects").asLong()
                        + fleet
                            .viewer()
                            .getJson(url(second) + "/api/v1/tasks")
                            .get("copiedObjects")
                            .asLong()
                    > 20);
    EmbeddedApp<ControllerConfiguration> leader =
        fleet.viewer().getJson(url(first) + "/api/v1/leader").get("leader").asBoolean()
            ? first
            : second;
    fleet.stopController(leader);

    fleet.awaitPlacement("the surviving controller finished the placement", allPools());
    fleet.assertEveryCopyVerified(allPools());
  }

  @Test
  void agentsOnAFollowerGetTheirTasksThroughItsRelayAndKeepThemWhenTheLeaderDies()
      throws Exception {
    EmbeddedApp<ControllerConfiguration> first =
        fleet.startController("replica-1", fleet.relayConfig());
    await("replica-1 leads")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> fleet.viewer().getJson(url(first) + "/api/v1/leader").get("leader").asBoolean());
    EmbeddedApp<ControllerConfiguration> second =
        fleet.startController("replica-2", fleet.relayConfig());
    EmbeddedApp<ControllerConfiguration> third =
        fleet.startController("replica-3", fleet.relayConfig());
    // Every agent beats to a follower; the leader hears of them only through the relay.
    fleet.startAgents(url(second) + "," + url(third));
    fleet.hospitalWrites(OBJECTS / 2);
    await("copies made by agents that only a follower hears")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet.viewer().getJson(url(first) + "/api/v1/tasks").get("copiedObjects").asLong()
                    > 20);
    for (var agent : fleet.agents.values()) {
      var status = fleet.as(Roles.METRICS).getJson(url(agent) + "/status");
      assertThat(status.get("controllerUrl").asText()).isEqualTo(url(second) + "/");
      assertThat(status.get("lastResponse").get("leaderUrl").isNull()).isTrue();
    }
    assertThat(fleet.viewer().fetch(url(second) + "/metrics").body())
        .containsPattern(
            "strata_controller_relayed_heartbeats_total\\{outcome=\"answered\"\\} [1-9]");

    fleet.crashController(first);

    fleet.awaitPlacement("the placement finished after the leader died", allPools());
    fleet.assertEveryCopyVerified(allPools());
    for (var agent : fleet.agents.values()) {
      assertThat(
              fleet.as(Roles.METRICS).getJson(url(agent) + "/status").get("controllerUrl").asText())
          .as("an agent stays on the follower it was given")
          .isEqualTo(url(second) + "/");
    }
  }
}
