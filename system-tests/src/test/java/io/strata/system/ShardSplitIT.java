package io.strata.system;

import static io.strata.system.ImagingFleet.DATASET;
import static io.strata.system.ImagingFleet.allPools;
import static io.strata.system.ImagingFleet.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.controller.ControllerConfiguration;
import io.strata.demo.EmbeddedApp;
import io.strata.protocol.task.KeyOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A split re-keys its pieces on real pools: the first piece keeps its parent's placement and its
 * objects stay; the others' objects move to their own placement, each new copy made before an old
 * one goes; and a leader crashed in the middle (its ZooKeeper session expired, not closed) leaves
 * nothing lost and nothing half done that the next leader does not finish.
 */
class ShardSplitIT extends OnImagingFleet {
  private static final int FIRST = 200;
  private static final int THRESHOLD = 300;

  /**
   * All the objects, fewer than 1.5 times the threshold: whenever the scan that finds the shard
   * past the threshold runs (while the second batch is still being written or after), it cuts it in
   * exactly two, and neither piece passes the threshold again. The second, h01-imaging:2, is
   * re-keyed onto another pair of hot pools than h01-imaging:0, and holds the recent studies.
   */
  private static final int TOTAL = 440;

  @Test
  void aSplitMovesOnlyTheReKeyedPiecesObjectsAndACrashedLeaderLosesNothing() throws Exception {
    fleet.shardMaxObjects(THRESHOLD);
    EmbeddedApp<ControllerConfiguration> first = fleet.startController("replica-1");
    EmbeddedApp<ControllerConfiguration> second = fleet.startController("replica-2");
    fleet.startAgents(url(first) + "," + url(second));
    fleet.hospitalWrites(FIRST);
    fleet.awaitPlacement("one shard, placed", allPools());
    assertThat(shards(second)).hasSize(1);
    Map<String, Set<String>> before = fleet.actual(allPools());
    Map<String, Integer> required = new TreeMap<>();
    before.forEach((key, pools) -> required.put(key, pools.size()));

    // Watch every copy while the split's copies move: no object may ever have fewer copies than
    // its phase requires, which it would if an old copy went before its new one was made.
    List<String> violations = new CopyOnWriteArrayList<>();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    watcher.scheduleWithFixedDelay(
        () -> {
          try {
            Map<String, Set<String>> now = fleet.actual(allPools());
            required.forEach(
                (key, n) -> {
                  int have = now.getOrDefault(key, Set.of()).size();
                  if (have < n) {
                    violations.add(key + " had " + have + " of " + n + " copies");
                  }
                });
          } catch (Exception e) {
            // A listing that failed says nothing about the copies: the next sample tries again.
          }
        },
        0,
        200,
        TimeUnit.MILLISECONDS);

    // Past the threshold, the shard splits in two; the second piece is re-keyed.
    fleet.hospitalWrites(TOTAL - FIRST);
    await("the shard split")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> shards(second).size() == 2);
    Map<String, Set<String>> after = fleet.desired(fleet.currentMap());
    List<String> moving = new ArrayList<>();
    before.forEach(
        (key, pools) -> {
          if (!after.get(key).equals(pools)) {
            moving.add(key);
          }
        });
    assertThat(moving).as("some re-keyed piece is placed elsewhere").isNotEmpty();

    // Crash the leader once the first of the moving objects has a new copy.
    EmbeddedApp<ControllerConfiguration> leader =
        fleet.viewer().getJson(url(first) + "/api/v1/leader").get("leader").asBoolean()
            ? first
            : second;
    await("a moving object copied to its new placement")
        .atMost(TestFleet.TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              Map<String, Set<String>> now = fleet.actual(allPools());
              return moving.stream()
                  .anyMatch(k -> !before.get(k).containsAll(now.getOrDefault(k, Set.of())));
            });
    fleet.crashController(leader);

    fleet.awaitPlacement("the next leader finished the split's moves", allPools());
    watcher.shutdownNow();
    assertThat(watcher.awaitTermination(30, TimeUnit.SECONDS)).as("the watcher stopped").isTrue();
    fleet.assertEveryCopyVerified(allPools());
    assertThat(violations).as("objects short of copies while they moved").isEmpty();

    // The first shard keeps the first placement key through every split: its objects never moved.
    Map<String, Set<String>> end = fleet.actual(allPools());
    JsonNode firstShard = shards(leader == first ? second : first).get(0);
    assertThat(firstShard.get("placementKey").asText()).isEqualTo(DATASET + ":0");
    String firstEnd = firstShard.get("range").get("end").asText();
    long kept =
        before.entrySet().stream()
            .filter(e -> KeyOrder.compare(e.getKey(), firstEnd) < 0)
            .peek(e -> assertThat(end.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue()))
            .count();
    assertThat(kept).as("objects in the first shard").isPositive();
  }

  private JsonNode shards(EmbeddedApp<ControllerConfiguration> controller) throws Exception {
    return fleet.viewer().getJson(url(controller) + "/api/v1/datasets/" + DATASET + "/shards");
  }
}
