package io.strata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.strata.agent.AgentConfiguration;
import io.strata.agent.TestClock;
import io.strata.agent.pool.CensusClients;
import io.strata.controller.cli.OperatorCli;
import io.strata.controller.demo.EmbeddedApp;
import io.strata.controller.security.Roles;
import io.strata.policy.PolicyLibrary;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.evaluate.StoredObject;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import io.strata.topology.placement.Placement;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler end to end on real components: embedded ZooKeeper, six S3Proxy pools in two sites
 * and four rooms, one agent per pool, the bundled imaging policy, and imaging objects whose study
 * dates span six years, aged by a clock the test moves.
 */
class ReconcileIT {
  /** Pools in the order of {@link TestFleet#pools}: id, site, room, tier. */
  private static final List<String[]> POOLS =
      List.of(
          new String[] {"a1-hot", "site-a", "room-a1", "hot-nvme"},
          new String[] {"a2-warm", "site-a", "room-a2", "warm-hdd"},
          new String[] {"a2-cold", "site-a", "room-a2", "cold-archive"},
          new String[] {"b1-hot", "site-b", "room-b1", "hot-nvme"},
          new String[] {"b2-cold", "site-b", "room-b2", "cold-archive"},
          new String[] {"b2-hot", "site-b", "room-b2", "hot-nvme"});

  private static final String DATASET = "h01-imaging";

  /** The pool the add-pool test adds: not in the topology at start. */
  private static final String NEW_POOL = "a2-hot";

  /** The full test: 2,000 studies over six years. */
  private static final int ALL_OBJECTS = 2000;

  /** The other scenarios need fewer objects to show their point. */
  private static final int OBJECTS = 400;

  /** 02:30 in Shanghai, inside the imaging policy's 00:00-06:00 movement window. */
  private static final Instant T0 = Instant.parse("2026-06-01T18:30:00Z");

  private static final String RECONCILE =
      """
      reconcile:
        interval: 500ms
        rescanInterval: 20s
        grace: 3s
        taskLease: 10s
        tasksPerAgent: 4
        misplacedShare: 1.0
        shardMaxObjects: 150
      """;

  @TempDir Path dir;
  private TestFleet fleet;
  private final TestClock clock = new TestClock(T0);
  private final Map<String, byte[]> contents = new TreeMap<>();
  private final Map<String, Map<String, String>> metadata = new HashMap<>();
  private final Map<String, EmbeddedApp<AgentConfiguration>> agents = new LinkedHashMap<>();
  private final List<EmbeddedApp<ControllerConfiguration>> controllers = new ArrayList<>();

  private static String topology(List<String> endpoints) {
    StringBuilder sb =
        new StringBuilder(
            """
            tiers:
              - {name: hot-nvme, fillCeiling: 0.85}
              - {name: warm-hdd, fillCeiling: 0.9}
              - {name: cold-archive, fillCeiling: 0.95}
            domains:
              - {id: region, level: region}
              - {id: site-a, level: site, parent: region}
              - {id: site-b, level: site, parent: region}
              - {id: room-a1, level: room, parent: site-a}
              - {id: room-a2, level: room, parent: site-a}
              - {id: room-b1, level: room, parent: site-b}
              - {id: room-b2, level: room, parent: site-b}
            """);
    StringBuilder pools = new StringBuilder("pools:\n");
    for (int i = 0; i < POOLS.size(); i++) {
      String[] p = POOLS.get(i);
      sb.append("  - {id: rack-%s, level: rack, parent: %s}\n".formatted(p[0], p[2]));
      sb.append("  - {id: node-%s, level: node, parent: rack-%s}\n".formatted(p[0], p[0]));
      pools.append(
          "  - {id: %s, domain: node-%s, tier: %s, endpoint: \"%s\", capacity: 1GiB, credentials: \"file:pool.credentials\"}\n"
              .formatted(p[0], p[0], p[3], endpoints.get(i)));
    }
    return sb.append(pools).toString();
  }

  @BeforeEach
  void startFleet() throws Exception {
    // One pool more than the topology names: the add-pool test brings it in.
    fleet = new TestFleet(dir, POOLS.size() + 1, ReconcileIT::topology);
    fleet.landingPool = "a1-hot";
    fleet.datasetPolicy = "imaging-archive";
    fleet.reconcileYaml = RECONCILE;
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
  }

  private EmbeddedApp<ControllerConfiguration> startController(String replica) throws Exception {
    EmbeddedApp<ControllerConfiguration> c =
        fleet.startController(replica, new StrataApplication(clock), "");
    controllers.add(c);
    return c;
  }

  private void startAgents(String controllerUrls) throws Exception {
    for (int i = 0; i < POOLS.size(); i++) {
      startAgent(i, controllerUrls);
    }
  }

  private void startAgent(int i, String controllerUrls) throws Exception {
    Map<String, Integer> peers = new LinkedHashMap<>();
    for (int j = 0; j < POOLS.size(); j++) {
      if (j != i) {
        peers.put(POOLS.get(j)[0], j);
      }
    }
    String id = POOLS.get(i)[0];
    agents.put(id, fleet.startAgent("agent-" + id, "node-" + id, id, i, peers, controllerUrls, ""));
  }

  private Http viewer() {
    return fleet.as(Roles.VIEWER);
  }

  private Http operator() {
    return fleet.as(Roles.OPERATOR);
  }

  private static String url(EmbeddedApp<?> app) {
    return "http://127.0.0.1:" + app.port();
  }

  private MinioClient pool(String id) {
    if (id.equals(NEW_POOL)) {
      return CensusClients.client(
          fleet.pools.get(POOLS.size()).endpoint().toString(), TestFleet.KEYS);
    }
    for (int i = 0; i < POOLS.size(); i++) {
      if (POOLS.get(i)[0].equals(id)) {
        return CensusClients.client(fleet.pools.get(i).endpoint().toString(), TestFleet.KEYS);
      }
    }
    throw new IllegalArgumentException(id);
  }

  /** Hospital uploads: objects with study dates over six years before T0, in the landing pool. */
  private void hospitalWrites(int count) throws Exception {
    MinioClient landing = pool("a1-hot");
    if (!landing.bucketExists(io.minio.BucketExistsArgs.builder().bucket(DATASET).build())) {
      landing.makeBucket(io.minio.MakeBucketArgs.builder().bucket(DATASET).build());
    }
    Random random = new Random(42);
    for (int i = 0; i < count; i++) {
      LocalDate study = LocalDate.ofInstant(T0, ZoneOffset.UTC).minusDays(random.nextInt(6 * 365));
      String key = "studies/%d/%05d.dcm".formatted(study.getYear(), i);
      byte[] body = new byte[1024 + random.nextInt(3072)];
      random.nextBytes(body);
      Map<String, String> meta = Map.of("study-date", study.toString(), "modality", "CT");
      landing.putObject(
          PutObjectArgs.builder().bucket(DATASET).object(key).stream(
                  new ByteArrayInputStream(body), body.length, -1)
              .userMetadata(meta)
              .build());
      contents.put(key, body);
      metadata.put(key, meta);
    }
  }

  private ClusterMap currentMap() throws Exception {
    JsonNode doc =
        viewer().getJson(url(controllers.get(controllers.size() - 1)) + "/api/v1/cluster-map");
    return TopologyFile.parse("api", doc.toString());
  }

  /** Where every object must be now: its phase at the test clock, placed on the current map. */
  private Map<String, Set<String>> desired(ClusterMap map) {
    PolicySet policies = PolicySet.of(PolicyLibrary.load(map).orThrow());
    Map<String, Set<String>> out = new TreeMap<>();
    for (var e : contents.entrySet()) {
      var policy =
          policies.governing(DATASET, e.getKey(), metadata.get(e.getKey())).policy().orElseThrow();
      var eval =
          PolicyEvaluator.evaluate(
              policy,
              new StoredObject(e.getKey(), e.getValue().length, T0, metadata.get(e.getKey())),
              clock.instant());
      Set<String> pools = new TreeSet<>();
      Placement.place(DATASET + ":0", eval.rule(), map).forEach(p -> pools.add(p.id()));
      out.put(e.getKey(), pools);
    }
    return out;
  }

  /** Where every object is: the pools listing it. */
  private Map<String, Set<String>> actual(Set<String> pools) throws Exception {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String id : pools) {
      MinioClient client = pool(id);
      for (Result<Item> r :
          client.listObjects(ListObjectsArgs.builder().bucket(DATASET).recursive(true).build())) {
        Item item = r.get();
        if (!item.isDir()) {
          out.computeIfAbsent(item.objectName(), k -> new TreeSet<>()).add(id);
        }
      }
    }
    return out;
  }

  private boolean placedAsPoliciesRequire(Set<String> readablePools) throws Exception {
    Map<String, Set<String>> want = desired(currentMap());
    Map<String, Set<String>> have = actual(readablePools);
    have.values().forEach(s -> s.retainAll(readablePools));
    Map<String, Set<String>> wantReadable = new TreeMap<>();
    want.forEach((k, v) -> wantReadable.put(k, new TreeSet<>(v)));
    return have.equals(wantReadable);
  }

  /** Every copy carries a SHA-256 marker equal to the hash of what the hospital wrote. */
  private void assertEveryCopyVerified(Set<String> pools) throws Exception {
    Map<String, Set<String>> have = actual(pools);
    for (var e : have.entrySet()) {
      String expected =
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(contents.get(e.getKey())));
      for (String p : e.getValue()) {
        var head =
            pool(p).statObject(StatObjectArgs.builder().bucket(DATASET).object(e.getKey()).build());
        assertThat(head.userMetadata().get("strata-sha256"))
            .as(e.getKey() + " on " + p)
            .isEqualTo(expected);
        assertThat(head.size()).isEqualTo(contents.get(e.getKey()).length);
      }
    }
    assertThat(have.keySet()).containsExactlyElementsOf(contents.keySet());
  }

  private static Set<String> allPools() {
    Set<String> out = new TreeSet<>();
    POOLS.forEach(p -> out.add(p[0]));
    return out;
  }

  private void awaitPlacement(String alias, Set<String> readable) {
    // Two thousand objects over six pools take minutes of scans and copies on two cores.
    await(alias)
        .atMost(TestFleet.TIMEOUT.multipliedBy(contents.size() > OBJECTS ? 8 : 3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> placedAsPoliciesRequire(readable));
  }

  @Test
  void objectsReachTheirPhasePlacementAndMoveThroughPhasesAsTheyAge() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = startController("replica-1");
    startAgents(url(controller));
    hospitalWrites(ALL_OBJECTS);

    awaitPlacement("every object on exactly the pools of its phase", allPools());
    assertEveryCopyVerified(allPools());
    JsonNode shards = viewer().getJson(url(controller) + "/api/v1/datasets/" + DATASET + "/shards");
    assertThat(shards.size())
        .as("%d objects split into shards of at most 150", ALL_OBJECTS)
        .isGreaterThanOrEqualTo(3);
    shards.forEach(
        shard ->
            assertThat(shard.get("placementKey").asText())
                .as("a split keeps the parent's placement")
                .isEqualTo(DATASET + ":0"));

    clock.advance(Duration.ofDays(365));
    awaitPlacement("a year later, objects moved on to their next phase", allPools());
    assertEveryCopyVerified(allPools());
  }

  @Test
  void aCopyThatDecayedOnDiskIsFoundByAScrubAndRepaired() throws Exception {
    fleet.reconcileYaml = RECONCILE + "  scrubInterval: 3s\n";
    EmbeddedApp<ControllerConfiguration> controller = startController("replica-1");
    startAgents(url(controller));
    hospitalWrites(40);
    awaitPlacement("every object on the pools of its phase", allPools());
    // A copy made by Strata (not the hospital's upload), its bytes changed under its markers.
    var placed = actual(allPools()).entrySet().iterator().next();
    String key = placed.getKey();
    String poolId =
        placed.getValue().stream().filter(p -> !p.equals("a1-hot")).findFirst().orElseThrow();
    Path file = fleet.dir.resolve("pool-" + poolIndex(poolId)).resolve(DATASET).resolve(key);
    assertThat(file).as("the pool's file of the copy").exists();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);

    await("a scrub finds the decayed copy of " + key + " on " + poolId + " and it is repaired")
        .atMost(TestFleet.TIMEOUT.multipliedBy(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> Arrays.equals(read(poolId, key), contents.get(key)));
    assertEveryCopyVerified(allPools());
    await("the repaired copy no longer counts as failing its scrub")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                viewer()
                    .fetch(url(controller) + "/metrics")
                    .body()
                    .contains("\nstrata_scrub_failed_copies 0.0\n"));
  }

  private int poolIndex(String id) {
    for (int i = 0; i < POOLS.size(); i++) {
      if (POOLS.get(i)[0].equals(id)) {
        return i;
      }
    }
    throw new IllegalArgumentException(id);
  }

  private byte[] read(String poolId, String key) throws Exception {
    try (var in =
        pool(poolId).getObject(GetObjectArgs.builder().bucket(DATASET).object(key).build())) {
      return in.readAllBytes();
    }
  }

  @Test
  void copiesOfALostPoolAreReplicatedElsewhereAfterTheGracePeriod() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = startController("replica-1");
    startAgents(url(controller));
    hospitalWrites(OBJECTS / 2);
    awaitPlacement("initial placement", allPools());

    agents.get("b1-hot").close();
    Set<String> survivors = new TreeSet<>(allPools());
    survivors.remove("b1-hot");
    await("hot copies re-replicated off the lost pool")
        .atMost(TestFleet.TIMEOUT.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              Map<String, Set<String>> have = actual(survivors);
              for (var e : desired(currentMap()).entrySet()) {
                Set<String> copies = have.getOrDefault(e.getKey(), Set.of());
                long needed = e.getValue().size();
                if (copies.size() < needed) {
                  return false;
                }
              }
              return true;
            });
    assertEveryCopyVerified(survivors);
  }

  @Test
  void drainingAPoolEmptiesItWithNothingLostAndABreakingDrainIsRefused() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = startController("replica-1");
    startAgents(url(controller));
    hospitalWrites(OBJECTS / 2);
    awaitPlacement("initial placement", allPools());

    // Paused, the drain is reported but nothing moves; resumed, it completes.
    var paused = operator().postJson(url(controller) + "/api/v1/movement/pause", "");
    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(paused.body()).contains("\"*\"");
    // The operator's command line, as an operator would drain it.
    var out = new java.io.ByteArrayOutputStream();
    int drained =
        OperatorCli.run(
            new String[] {"--url", url(controller), "drain", "pool", "a1-hot"},
            new java.io.PrintStream(out, true),
            System.err,
            Map.of("STRATA_TOKEN", fleet.token(Roles.OPERATOR)));
    assertThat(drained).isZero();
    assertThat(out.toString()).contains("\"a1-hot\"");
    // While paused nothing moves, so the progress reported must match what the pool holds; a
    // pool that was empty already is out at once.
    await("the drain is reported while movement is paused")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode drains =
                  viewer().getJson(url(controller) + "/api/v1/movement").get("drains");
              if (drains.size() == 1 && drains.get(0).get("pool").asText().equals("a1-hot")) {
                long onPool = actual(Set.of("a1-hot")).size();
                return drains.get(0).get("objects").asLong() == onPool;
              }
              return currentMap().pool("a1-hot").orElseThrow().state()
                      == io.strata.topology.DomainState.OUT
                  && actual(Set.of("a1-hot")).isEmpty();
            });
    assertThat(operator().postJson(url(controller) + "/api/v1/movement/resume", "").statusCode())
        .isEqualTo(200);
    awaitPlacement("placement without the drained pool", allPools());
    assertThat(actual(Set.of("a1-hot"))).isEmpty();
    await("the emptied pool is marked out")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                currentMap().pool("a1-hot").orElseThrow().state()
                    == io.strata.topology.DomainState.OUT);
    assertThat(viewer().getJson(url(controller) + "/api/v1/movement").get("drains")).isEmpty();
    assertEveryCopyVerified(allPools());

    ClusterMap before = currentMap();
    var refused =
        operator().postJson(url(controller) + "/api/v1/cluster-map/domains/rack-b2-hot/drain", "");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("spread: room needs 2 rooms with tier hot-nvme, map has 1");
    assertThat(currentMap().epoch()).isEqualTo(before.epoch());
    assertThat(
            operator()
                .postJson(url(controller) + "/api/v1/cluster-map/pools/nope/drain", "")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void anAddedPoolTakesItsShareWithNothingLost() throws Exception {
    // Copies through one rack one at a time: every copy out of the landing pool shares its rack.
    fleet.reconcileYaml = RECONCILE + "  rackBytesInFlight: 64KiB\n";
    EmbeddedApp<ControllerConfiguration> controller = startController("replica-1");
    startAgents(url(controller));
    hospitalWrites(OBJECTS / 2);
    awaitPlacement("initial placement", allPools());

    String endpoint = fleet.pools.get(POOLS.size()).endpoint().toString();
    String body =
        "{\"id\":\"%s\",\"domain\":\"room-a2\",\"tier\":\"hot-nvme\",\"endpoint\":\"%s\",\"capacity\":\"100GiB\",\"credentials\":\"file:pool.credentials\"}"
            .formatted(NEW_POOL, endpoint);
    assertThat(
            operator().postJson(url(controller) + "/api/v1/cluster-map/pools", body).statusCode())
        .as("adding a pool is the admin's")
        .isEqualTo(403);
    var added = fleet.as(Roles.ADMIN).postJson(url(controller) + "/api/v1/cluster-map/pools", body);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(
            fleet
                .as(Roles.ADMIN)
                .postJson(url(controller) + "/api/v1/cluster-map/pools", body)
                .statusCode())
        .isEqualTo(409);
    Map<String, Integer> peers = new LinkedHashMap<>();
    for (int j = 0; j < POOLS.size(); j++) {
      peers.put(POOLS.get(j)[0], j);
    }
    agents.put(
        NEW_POOL,
        fleet.startAgent(
            "agent-" + NEW_POOL, "room-a2", NEW_POOL, POOLS.size(), peers, url(controller), ""));

    Set<String> all = new TreeSet<>(allPools());
    all.add(NEW_POOL);
    assertThat(desired(currentMap()).values())
        .as("the heavy new pool is in the placement of recent studies")
        .anyMatch(pools -> pools.contains(NEW_POOL));
    // The other agents never had the new pool in their configuration: they learn it from the
    // controller to verify copies there before they delete their own.
    awaitPlacement("placement with the new pool", all);
    assertEveryCopyVerified(all);
  }

  @Test
  void aSecondControllerFinishesTheWorkWhenTheLeaderDies() throws Exception {
    EmbeddedApp<ControllerConfiguration> first = startController("replica-1");
    EmbeddedApp<ControllerConfiguration> second = startController("replica-2");
    startAgents(url(first) + "," + url(second));
    hospitalWrites(OBJECTS / 2);
    await("work under way")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                viewer().getJson(url(first) + "/api/v1/tasks").get("copiedObjects").asLong()
                        + viewer()
                            .getJson(url(second) + "/api/v1/tasks")
                            .get("copiedObjects")
                            .asLong()
                    > 20);
    EmbeddedApp<ControllerConfiguration> leader =
        viewer().getJson(url(first) + "/api/v1/leader").get("leader").asBoolean() ? first : second;
    leader.close();
    controllers.remove(leader);

    awaitPlacement("the surviving controller finished the placement", allPools());
    assertEveryCopyVerified(allPools());
  }

  @Test
  void unknownDatasetAndObjectAnswer404AndLocateFindsCopies() throws Exception {
    EmbeddedApp<ControllerConfiguration> controller = startController("replica-1");
    startAgents(url(controller));
    hospitalWrites(20);
    awaitPlacement("placement", allPools());
    String key = contents.keySet().iterator().next();
    JsonNode where =
        viewer()
            .getJson(
                url(controller) + "/api/v1/datasets/" + DATASET + "/objects/" + key + "/locations");
    Set<String> known = new TreeSet<>();
    where.get("known").forEach(c -> known.add(c.get("pool").asText()));
    Set<String> desired = new TreeSet<>();
    where.get("desired").forEach(p -> desired.add(p.asText()));
    assertThat(known).isEqualTo(desired);
    var redirect =
        viewer().fetch(url(controller) + "/api/v1/datasets/" + DATASET + "/objects/" + key);
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).contains("X-Amz-Signature");
    assertThat(
            viewer()
                .fetch(url(controller) + "/api/v1/datasets/nope/objects/x/locations")
                .statusCode())
        .isEqualTo(404);
    assertThat(
            viewer()
                .fetch(url(controller) + "/api/v1/datasets/" + DATASET + "/objects/none/locations")
                .statusCode())
        .isEqualTo(404);
  }
}
