package io.strata.system;

import static io.strata.system.ImagingFleet.DATASET;
import static io.strata.system.ImagingFleet.allPools;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.demo.EmbeddedApp;
import io.strata.fleet.capacity.AgeProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reconciler end to end on an {@link ImagingFleet}: objects reach the placement of their
 * policy's phase, split into shards, move on as the clock ages them, and can be located where they
 * were placed.
 */
class ReconcileIT extends OnImagingFleet {
  /** The full test: 2,000 studies over six years. */
  private static final int ALL_OBJECTS = 2000;

  @Test
  void objectsReachTheirPhasePlacementAndMoveThroughPhasesAsTheyAge() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller =
        placed(ALL_OBJECTS, "every object on exactly the pools of its phase");
    fleet.assertEveryCopyVerified(allPools());
    JsonNode shards =
        fleet.viewer().getJson(url(controller) + "/api/v1/datasets/" + DATASET + "/shards");
    assertThat(shards.size())
        .as("%d objects split into shards of at most 150", ALL_OBJECTS)
        .isGreaterThanOrEqualTo(3);
    Set<String> keys = new TreeSet<>();
    shards.forEach(
        shard -> {
          String key = shard.get("placementKey").asText();
          assertThat(keys.add(key)).as("placement keys are unique: %s", key).isTrue();
          // A split's first piece keeps its parent's key, the others are placed by their own id.
          assertThat(number(key)).isLessThanOrEqualTo(number(shard.get("id").asText()));
          if (shard.get("range").get("start").asText().isEmpty()) {
            assertThat(key).isEqualTo(DATASET + ":0");
          }
        });
    assertThat(keys)
        .as("the dataset spreads: pieces placed by their own ids")
        .hasSizeGreaterThan(1);

    fleet.clock.advance(Duration.ofDays(365));
    fleet.awaitPlacement("a year later, objects moved on to their next phase", allPools());
    fleet.assertEveryCopyVerified(allPools());
  }

  private static long number(String shardId) {
    return Long.parseLong(shardId.substring(shardId.lastIndexOf(':') + 1));
  }

  @Test
  void unknownDatasetAndObjectAnswer404AndLocateFindsCopies() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = placed(20, "placement");
    String key = fleet.contents.keySet().iterator().next();
    JsonNode where =
        fleet
            .viewer()
            .getJson(
                url(controller) + "/api/v1/datasets/" + DATASET + "/objects/" + key + "/locations");
    Set<String> known = new TreeSet<>();
    where.get("known").forEach(c -> known.add(c.get("pool").asText()));
    Set<String> desired = new TreeSet<>();
    where.get("desired").forEach(p -> desired.add(p.asText()));
    assertThat(known).isEqualTo(desired);
    var redirect =
        fleet.viewer().fetch(url(controller) + "/api/v1/datasets/" + DATASET + "/objects/" + key);
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).contains("X-Amz-Signature");
    assertThat(
            fleet
                .viewer()
                .fetch(url(controller) + "/api/v1/datasets/nope/objects/x/locations")
                .statusCode())
        .isEqualTo(404);
    assertThat(
            fleet
                .viewer()
                .fetch(url(controller) + "/api/v1/datasets/" + DATASET + "/objects/none/locations")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void theLeadersCapacitySamplesCountEachObjectOnceByItsPolicyAndAge() throws Exception {
    // Written before the controller starts, so that its first complete plans count every object.
    fleet.hospitalWrites(40);
    EmbeddedApp<ControllerConfiguration> controller =
        fleet.startController("replica-1", "capacity:\n  sampleInterval: 1s\n");
    fleet.startAgents(url(controller));
    fleet.awaitPlacement("placement", allPools());
    Map<String, long[]> expected = fleet.expectedStock();
    long written = fleet.contents.values().stream().mapToLong(b -> b.length).sum();

    // The controller's clock is the test's: moved on a second, the next sample falls due, now
    // that every shard has been planned.
    fleet.clock.advance(Duration.ofSeconds(1));
    List<JsonNode> samples =
        await("a capacity sample that counts the dataset")
            .atMost(TestFleet.TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(fleet::capacitySamples, s -> s.get(s.size() - 1).path("datasets").isArray());

    // Each object once, though each has two or three copies.
    long newest = 0;
    for (JsonNode d : samples.get(samples.size() - 1).path("datasets")) {
      assertThat(d.path("dataset").asText()).isEqualTo(DATASET);
      newest += d.path("bytes").asLong();
    }
    assertThat(newest).isEqualTo(written);
    // The day's first sample that counts it carries the ages, as its policy counts them.
    JsonNode withAges =
        samples.stream()
            .filter(s -> s.path("datasets").path(0).path("ages").isArray())
            .findFirst()
            .orElseThrow();
    Map<String, long[]> counted = new TreeMap<>();
    for (JsonNode d : withAges.path("datasets")) {
      long[] ages = new long[d.path("ages").size()];
      for (int i = 0; i < ages.length; i++) {
        ages[i] = d.path("ages").get(i).asLong();
      }
      counted.put(d.path("policy").asText(), ages);
      assertThat(d.path("bytes").asLong()).isEqualTo(AgeProfile.total(ages));
    }
    assertThat(counted.keySet()).isEqualTo(expected.keySet());
    expected.forEach((policy, ages) -> assertThat(counted.get(policy)).as(policy).isEqualTo(ages));
  }
}
