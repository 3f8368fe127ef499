package io.strata.system;

import static io.strata.system.ImagingFleet.NEW_POOL;
import static io.strata.system.ImagingFleet.OBJECTS;
import static io.strata.system.ImagingFleet.allPools;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.cli.OperatorCli;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.topology.ClusterMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on an {@link ImagingFleet} as operators change its topology: a drained pool is
 * emptied with nothing lost, a drain that would break a policy or never finish (the landing pool)
 * is refused, and an added pool takes its share.
 */
class ReconcileTopologyIT extends OnImagingFleet {
  @Test
  void drainingAPoolEmptiesItWithNothingLostAndABreakingDrainIsRefused() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = placed(OBJECTS / 2, "initial placement");

    // Paused, the drain is reported but nothing moves; resumed, it completes.
    var paused = fleet.operator().postJson(url(controller) + "/api/v1/movement/pause", "");
    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(paused.body()).contains("\"*\"");
    var unknown =
        fleet
            .operator()
            .postJson(url(controller) + "/api/v1/movement/pause?dataset=no-such-dataset", "");
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    assertThat(unknown.body()).contains("no dataset 'no-such-dataset'");
    assertThat(fleet.viewer().getJson(url(controller) + "/api/v1/movement").get("paused"))
        .as("an unknown dataset is not paused")
        .hasSize(1);
    // The landing pool cannot be drained: the hospital keeps writing there, so it would never be
    // empty. The refusal names the dataset, and nothing changes.
    long epoch = fleet.currentMap().epoch();
    var landing =
        fleet.operator().postJson(url(controller) + "/api/v1/cluster-map/pools/a1-hot/drain", "");
    assertThat(landing.statusCode()).isEqualTo(409);
    assertThat(landing.body())
        .contains("could never finish")
        .contains("pool a1-hot is the landing pool of dataset " + ImagingFleet.DATASET);
    var previewed =
        fleet
            .operator()
            .postJson(
                url(controller) + "/api/v1/previews",
                "{\"change\": \"drain\", \"domain\": \"rack-a1-hot\"}");
    assertThat(previewed.statusCode()).isEqualTo(409);
    assertThat(previewed.body()).contains("landing pool of dataset " + ImagingFleet.DATASET);
    assertThat(fleet.currentMap().epoch()).isEqualTo(epoch);
    // The operator's command line, as an operator would drain it.
    var out = new java.io.ByteArrayOutputStream();
    int drained =
        OperatorCli.run(
            new String[] {"--url", url(controller), "drain", "pool", "b1-hot"},
            new java.io.PrintStream(out, true),
            System.err,
            Map.of("STRATA_TOKEN", fleet.token(Roles.OPERATOR)));
    assertThat(drained).isZero();
    assertThat(out.toString()).contains("\"b1-hot\"");
    // While paused nothing moves, so the progress reported must match what the pool holds; a
    // pool that was empty already is out at once.
    await("the drain is reported while movement is paused")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode drains =
                  fleet.viewer().getJson(url(controller) + "/api/v1/movement").get("drains");
              if (drains.size() == 1 && drains.get(0).get("pool").asText().equals("b1-hot")) {
                long onPool = fleet.actual(Set.of("b1-hot")).size();
                return drains.get(0).get("objects").asLong() == onPool;
              }
              return fleet.currentMap().pool("b1-hot").orElseThrow().state()
                      == io.strata.topology.DomainState.OUT
                  && fleet.actual(Set.of("b1-hot")).isEmpty();
            });
    assertThat(
            fleet.operator().postJson(url(controller) + "/api/v1/movement/resume", "").statusCode())
        .isEqualTo(200);
    fleet.awaitPlacement("placement without the drained pool", allPools());
    assertThat(fleet.actual(Set.of("b1-hot"))).isEmpty();
    await("the emptied pool is marked out")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet.currentMap().pool("b1-hot").orElseThrow().state()
                    == io.strata.topology.DomainState.OUT);
    assertThat(fleet.viewer().getJson(url(controller) + "/api/v1/movement").get("drains"))
        .isEmpty();
    fleet.assertEveryCopyVerified(allPools());

    ClusterMap before = fleet.currentMap();
    var refused =
        fleet
            .operator()
            .postJson(url(controller) + "/api/v1/cluster-map/domains/rack-b2-hot/drain", "");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("spread: room needs 2 rooms with tier hot-nvme, map has 1");
    assertThat(fleet.currentMap().epoch()).isEqualTo(before.epoch());
    assertThat(
            fleet
                .operator()
                .postJson(url(controller) + "/api/v1/cluster-map/pools/nope/drain", "")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void anAddedPoolTakesItsShareWithNothingLost() throws Exception {
    // Copies through one rack one at a time: every copy out of the landing pool shares its rack.
    fleet.reconcileWith("  rackBytesInFlight: 64KiB\n");
    EmbeddedApp<ControllerConfiguration> controller = placed(OBJECTS / 2, "initial placement");

    String endpoint = fleet.newPoolEndpoint();
    String body =
        "{\"id\":\"%s\",\"domain\":\"room-a2\",\"tier\":\"hot-nvme\",\"endpoint\":\"%s\",\"capacity\":\"100GiB\",\"credentials\":\"file:pool.credentials\"}"
            .formatted(NEW_POOL, endpoint);
    assertThat(
            fleet
                .operator()
                .postJson(url(controller) + "/api/v1/cluster-map/pools", body)
                .statusCode())
        .as("adding a pool is the admin's")
        .isEqualTo(403);
    var misspelt =
        fleet
            .as(Roles.ADMIN)
            .postJson(
                url(controller) + "/api/v1/cluster-map/pools",
                body.replace("\"capacity\"", "\"capcity\""));
    assertThat(misspelt.statusCode()).as(misspelt.body()).isEqualTo(422);
    assertThat(misspelt.body()).contains("unknown key 'capcity'");
    var added = fleet.as(Roles.ADMIN).postJson(url(controller) + "/api/v1/cluster-map/pools", body);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(
            fleet
                .as(Roles.ADMIN)
                .postJson(url(controller) + "/api/v1/cluster-map/pools", body)
                .statusCode())
        .isEqualTo(409);
    fleet.startNewPoolAgent(url(controller));

    Set<String> all = new TreeSet<>(allPools());
    all.add(NEW_POOL);
    assertThat(fleet.desired(fleet.currentMap()).values())
        .as("the heavy new pool is in the placement of recent studies")
        .anyMatch(pools -> pools.contains(NEW_POOL));
    // The other agents never had the new pool in their configuration: they learn it from the
    // controller to verify copies there before they delete their own.
    fleet.awaitPlacement("placement with the new pool", all);
    fleet.assertEveryCopyVerified(all);
  }
}
