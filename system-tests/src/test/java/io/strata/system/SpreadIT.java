package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.KeyOrder;
import io.strata.runtime.s3.TestS3;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.TopologyFile;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset spreads over the whole fleet: 24 pools in 3 rooms, 10,000 objects split into about 380
 * shards. Every object ends on the pools of its shard's placement with each pool within 15% of its
 * share of the copies; a rack of pools added later takes its share, and the balancer brings the
 * tier back within bounds while the voluntary movement queued never passes the misplaced cap.
 *
 * <p>What is tested is the spread of shards, so the shards are small (at most 50 objects): the
 * pools' listings, S3Proxy's cost, grow with the objects, and the shards' count is what the
 * placement spreads.
 */
class SpreadIT {
  static final int POOLS = 24;
  static final int ADDED = 2;
  private static final int ROOMS = 3;
  private static final int OBJECTS = 10_000;
  private static final double CAP = 0.05;
  private static final PlacementRule RULE =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));

  @TempDir Path dir;
  private TestFleet fleet;

  @AfterEach
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Three rooms of eight racks, one pool each; a ninth rack in room 0 waits for its pools. */
  private static String topology(List<String> endpoints) {
    StringBuilder sb =
        new StringBuilder(
            "tiers:\n  - {name: hot-nvme, fillCeiling: 0.85}\ndomains:\n"
                + "  - {id: region-1, level: region}\n  - {id: site-1, level: site, parent: region-1}\n");
    StringBuilder pools = new StringBuilder("pools:\n");
    for (int r = 0; r < ROOMS; r++) {
      sb.append("  - {id: room-%d, level: room, parent: site-1}\n".formatted(r));
    }
    for (int i = 0; i < POOLS; i++) {
      sb.append("  - {id: rack-%d, level: rack, parent: room-%d}\n".formatted(i, i % ROOMS));
      sb.append("  - {id: node-%d, level: node, parent: rack-%d}\n".formatted(i, i));
      pools.append(
          "  - {id: s%d, domain: node-%d, tier: hot-nvme, endpoint: \"%s\", capacity: 1GiB, credentials: \"file:pool.credentials\"}\n"
              .formatted(i, i, endpoints.get(i)));
    }
    sb.append("  - {id: rack-new, level: rack, parent: room-0}\n");
    for (int j = 0; j < ADDED; j++) {
      sb.append("  - {id: node-new-%d, level: node, parent: rack-new}\n".formatted(j));
    }
    return sb.append(pools).toString();
  }

  @Test
  void aDatasetSpreadsEvenlyOverEveryPoolAndAnAddedRackTakesItsShare() throws Exception {
    fleet = new TestFleet(dir, POOLS + ADDED, SpreadIT::topology, true);
    Path policy = dir.resolve("spread.yaml");
    Files.writeString(
        policy,
        """
        policy: spread
        description: two hot copies in two rooms, moved at any hour
        datasets: ["h01-imaging"]
        recordClass: none
        phases:
          0d: 2 x hot-nvme spread room
        retention:
          minimum: 1d
        expiry: never
        """);
    // Twenty-six agents and pools share this JVM's two cores with the controller: agents get a
    // lease that a heartbeat delayed by a busy moment does not outlast, and count their pools (a
    // whole listing each) every five minutes, not every second.
    fleet.agentLease = "20s";
    fleet.censusInterval = "5m";
    fleet.landingPool = "s0";
    fleet.datasetPolicy = "spread";
    fleet.reconcileYaml =
        """
        reconcile:
          interval: 500ms
          rescanInterval: 10m
          grace: 30s
          taskLease: 2m
          tasksPerAgent: 8
          misplacedShare: %s
          shardMaxObjects: 50
          balanceInterval: 2s
          policyFiles: ["%s"]
        """
            .formatted(CAP, policy);
    // The archive is on its landing pool before Strata starts, as when a hospital's archive is
    // taken over; the split, placement and balancing that follow are all Strata's.
    write(OBJECTS);
    EmbeddedApp<ControllerConfiguration> controller = fleet.startController("replica-1");
    String url = "http://127.0.0.1:" + controller.port();
    for (int i = 0; i < POOLS; i++) {
      startAgent(i, "s" + i, "node-" + i, url);
    }

    awaitSpread(url, "every object placed by its shard, each pool within 15% of its share");
    assertEveryCopyVerified(url);
    balancer(url, "resume");

    // A rack of two pools joins room 0: they take their share, and the rebalancing that follows
    // never has more than the misplaced cap of voluntary movement queued.
    List<String> breaches = new CopyOnWriteArrayList<>();
    AtomicInteger samples = new AtomicInteger();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(
        () -> sampleQueue(url, samples, breaches), 0, 500, TimeUnit.MILLISECONDS);
    for (int j = 0; j < ADDED; j++) {
      int index = POOLS + j;
      String body =
          "{\"id\":\"s%d\",\"domain\":\"node-new-%d\",\"tier\":\"hot-nvme\",\"endpoint\":\"%s\",\"capacity\":\"1GiB\",\"credentials\":\"file:pool.credentials\"}"
              .formatted(index, j, fleet.pools.get(index).endpoint());
      var added = fleet.as(Roles.ADMIN).postJson(url + "/api/v1/cluster-map/pools", body);
      assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
      startAgent(index, "s" + index, "node-new-" + j, url);
    }
    awaitSpread(url, "the added rack took its share, the tier within bounds again");
    assertEveryCopyVerified(url);
    sampler.shutdownNow();
    assertThat(sampler.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    assertThat(samples.get()).as("queue samples taken").isPositive();
    assertThat(breaches).as("voluntary movement queued past the misplaced cap").isEmpty();
  }

  private void startAgent(int index, String pool, String node, String url) throws Exception {
    Map<String, Integer> peers = new HashMap<>();
    for (int k = 0; k < POOLS + ADDED; k++) {
      if (k != index) {
        peers.put("s" + k, k);
      }
    }
    fleet.startAgent("agent-s" + index, node, pool, index, peers, url, "");
  }

  private final Map<String, Integer> sizes = new TreeMap<>();

  /**
   * Writes {@code count} small objects to the landing pool, keyed like DICOM instances under their
   * studies, from four threads.
   */
  private void write(int count) throws Exception {
    MinioClient landing = client(0);
    TestFleet.makeBucket(landing, "h01-imaging");
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        done.add(
            writers.submit(
                () -> {
                  for (int i = first; i < count; i += 4) {
                    String key = "studies/%03d/%05d.dcm".formatted(i % 100, i);
                    byte[] body = ("study " + i).getBytes();
                    landing.putObject(
                        PutObjectArgs.builder().bucket("h01-imaging").object(key).stream(
                                new ByteArrayInputStream(body), body.length, -1)
                            .build());
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdownNow();
    }
    for (int i = 0; i < count; i++) {
      sizes.put("studies/%03d/%05d.dcm".formatted(i % 100, i), ("study " + i).length());
    }
  }

  private MinioClient client(int pool) {
    return TestS3.client(fleet.pools.get(pool).endpoint().toString(), TestFleet.KEYS);
  }

  /**
   * Waits until every object is exactly where its shard's placement wants it, then checks fill;
   * returns the pools each object was found on in that last, passing look.
   */
  private Map<String, Set<String>> awaitSpread(String url, String alias) {
    AtomicReference<Map<String, Set<String>>> placed = new AtomicReference<>();
    await(alias)
        .atMost(TestFleet.TIMEOUT.multipliedBy(12))
        .pollInterval(Duration.ofSeconds(5))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              // The pools are listed whole (the landing pool alone holds 10,000 objects at first)
              // on the cores the fleet runs on, so only once no copy or delete is queued.
              assertThat(movementQueued(url)).as("copies and deletes queued").isZero();
              ClusterMap map = map(url);
              Map<String, Set<String>> want = desired(url, map);
              Map<String, Set<String>> have = actual(map);
              placed.set(have);
              Map<String, String> wrong = new TreeMap<>();
              Set<String> keys = new TreeSet<>(want.keySet());
              keys.addAll(have.keySet());
              for (String key : keys) {
                if (!java.util.Objects.equals(want.get(key), have.get(key))) {
                  wrong.put(key, "want " + want.get(key) + ", have " + have.get(key));
                }
              }
              assertThat(wrong)
                  .as(
                      "%d objects not where their shard's placement wants them, the first: %s",
                      wrong.size(), wrong.entrySet().stream().limit(3).toList())
                  .isEmpty();
              Map<String, Integer> copies = new TreeMap<>();
              map.pools().keySet().forEach(p -> copies.put(p, 0));
              have.values().forEach(ps -> ps.forEach(p -> copies.merge(p, 1, Integer::sum)));
              double share = 2.0 * OBJECTS / map.pools().size(); // equal weights
              assertThat(copies.values())
                  .as(
                      "copies per pool %s, share %.0f; the balancer: %s",
                      copies,
                      share,
                      fleet.as(Roles.VIEWER).getJson(url + "/api/v1/movement").get("balancer"))
                  .allSatisfy(
                      n -> assertThat(Math.abs(n - share) / share).isLessThanOrEqualTo(0.15));
            });
    return placed.get();
  }

  private void balancer(String url, String action) throws Exception {
    var answer =
        fleet
            .as(Roles.OPERATOR)
            .postJson(url + "/api/v1/movement/" + action + "?dataset=@balancer", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /**
   * Reads every copy's metadata: each carries Strata's SHA-256 marker, equal to the checksum of
   * what was written, and the size written; the landing pool's uploads had no marker, so each copy
   * left was made and verified by Strata. The balancer, which goes on evening out the tier below
   * the 15% asked here, is paused first and the copies it last moved are awaited, so that nothing
   * moves while the copies are read.
   */
  private void assertEveryCopyVerified(String url) throws Exception {
    balancer(url, "pause");
    await("the balancer says it is paused")
        .atMost(TestFleet.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        fleet
                            .as(Roles.VIEWER)
                            .getJson(url + "/api/v1/movement")
                            .at("/balancer/heldBack")
                            .asText())
                    .isEqualTo("paused"));
    Map<String, Set<String>> have = awaitSpread(url, "the balancer's last moves finished");
    assertThat(have.keySet()).as("objects stored").isEqualTo(sizes.keySet());
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> checks = new ArrayList<>();
      have.forEach(
          (key, pools) ->
              pools.forEach(
                  pool ->
                      checks.add(
                          readers.submit(
                              () -> {
                                StatObjectResponse stat =
                                    client(Integer.parseInt(pool.substring(1)))
                                        .statObject(
                                            StatObjectArgs.builder()
                                                .bucket("h01-imaging")
                                                .object(key)
                                                .build());
                                String sha =
                                    StrataMetadata.get(stat.userMetadata(), StrataMetadata.SHA256);
                                boolean ok =
                                    stat.size() == sizes.get(key)
                                        && sha256(body(key)).equalsIgnoreCase(sha);
                                return ok ? null : key + " on " + pool + ": marker " + sha;
                              }))));
      List<String> wrong = new ArrayList<>();
      for (Future<String> check : checks) {
        String w = check.get();
        if (w != null) {
          wrong.add(w);
        }
      }
      assertThat(wrong).as("copies without a verified marker").isEmpty();
    } finally {
      readers.shutdownNow();
    }
  }

  private static byte[] body(String key) {
    return ("study " + Integer.parseInt(key.substring(key.lastIndexOf('/') + 1, key.length() - 4)))
        .getBytes();
  }

  private static String sha256(byte[] body) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
  }

  private long movementQueued(String url) throws Exception {
    long n = 0;
    for (JsonNode t : fleet.as(Roles.VIEWER).getJson(url + "/api/v1/tasks").get("tasks")) {
      String type = t.get("task").get("type").asText();
      n += type.equals("COPY") || type.equals("DELETE_COPY") ? 1 : 0;
    }
    return n;
  }

  private ClusterMap map(String url) throws Exception {
    return TopologyFile.parse(
        "api", fleet.as(Roles.VIEWER).getJson(url + "/api/v1/cluster-map").toString());
  }

  private Map<String, Set<String>> desired(String url, ClusterMap map) throws Exception {
    TreeMap<String, String> keyOf = new TreeMap<>(KeyOrder.COMPARATOR);
    String next = url + "/api/v1/datasets/h01-imaging/shards?limit=100000";
    JsonNode shards = fleet.as(Roles.VIEWER).getJson(next);
    shards.forEach(
        s -> keyOf.put(s.get("range").get("start").asText(), s.get("placementKey").asText()));
    Map<String, Set<String>> out = new TreeMap<>();
    for (String key : sizes.keySet()) {
      Set<String> pools = new TreeSet<>();
      Placement.place(keyOf.floorEntry(key).getValue(), RULE, map).forEach(p -> pools.add(p.id()));
      out.put(key, pools);
    }
    return out;
  }

  private Map<String, Set<String>> actual(ClusterMap map) throws Exception {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String pool : map.pools().keySet()) {
      int index = Integer.parseInt(pool.substring(1));
      for (Result<Item> r :
          client(index)
              .listObjects(
                  ListObjectsArgs.builder().bucket("h01-imaging").recursive(true).build())) {
        String key = r.get().objectName();
        if (!key.endsWith("/")) { // the filesystem backend lists its directories too
          out.computeIfAbsent(key, k -> new TreeSet<>()).add(pool);
        }
      }
    }
    return out;
  }

  /**
   * Samples the queue: voluntary bytes queued over stored bytes, past the cap by more than a task.
   */
  private void sampleQueue(String url, AtomicInteger samples, List<String> breaches) {
    long stored = 2L * sizes.values().stream().mapToLong(Integer::longValue).sum();
    try {
      JsonNode queue = fleet.as(Roles.VIEWER).getJson(url + "/api/v1/tasks");
      long voluntary = 0;
      long largest = 0;
      for (JsonNode t : queue.get("tasks")) {
        String priority = t.get("priority").asText();
        if (List.of("TRANSITION", "DRAIN", "REBALANCE").contains(priority)) {
          voluntary += t.get("bytes").asLong();
          largest = Math.max(largest, t.get("bytes").asLong());
        }
      }
      samples.incrementAndGet();
      // The queue admits one task past the cap when none is queued, so allow one task's bytes.
      if (voluntary > CAP * stored + largest) {
        breaches.add(voluntary + " bytes queued of " + stored + " stored");
      }
    } catch (Exception e) {
      // A failed sample says nothing either way; the next one is taken half a second later.
    }
  }
}
