package io.strata.system;

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
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.StrataApplication;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.policy.PolicyLibrary;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.evaluate.StoredObject;
import io.strata.protocol.task.KeyOrder;
import io.strata.runtime.TestClock;
import io.strata.runtime.s3.TestS3;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import io.strata.topology.placement.Placement;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reconcile integration tests' fleet on real components: embedded ZooKeeper, six S3Proxy pools
 * in two sites and four rooms (and one more pool the topology does not name yet), one agent per
 * pool, the bundled imaging policy, and imaging objects whose study dates span six years, aged by a
 * clock the test moves. It knows where every object must be and where it is.
 *
 * <p>One per test; must be closed.
 */
final class ImagingFleet implements AutoCloseable {
  /** Pools in the order of {@link TestFleet#pools}: id, site, room, tier. */
  private static final List<String[]> POOLS =
      List.of(
          new String[] {"a1-hot", "site-a", "room-a1", "hot-nvme"},
          new String[] {"a2-warm", "site-a", "room-a2", "warm-hdd"},
          new String[] {"a2-cold", "site-a", "room-a2", "cold-archive"},
          new String[] {"b1-hot", "site-b", "room-b1", "hot-nvme"},
          new String[] {"b2-cold", "site-b", "room-b2", "cold-archive"},
          new String[] {"b2-hot", "site-b", "room-b2", "hot-nvme"});

  static final String DATASET = "h01-imaging";

  /** The pool the add-pool test adds: not in the topology at start. */
  static final String NEW_POOL = "a2-hot";

  /** Most scenarios need no more objects than this to show their point. */
  static final int OBJECTS = 400;

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

  private final TestFleet fleet;

  /** The controllers' clock; a test advances it to age the objects. */
  final TestClock clock = new TestClock(T0);

  /** What the hospital wrote: key to bytes. */
  final Map<String, byte[]> contents = new TreeMap<>();

  private final Map<String, Map<String, String>> metadata = new HashMap<>();

  /** More top-level keys of the configuration of the agents started after. */
  String agentYaml = "";

  /** Running agents by the pool they serve. */
  final Map<String, EmbeddedApp<AgentConfiguration>> agents = new LinkedHashMap<>();

  private final List<EmbeddedApp<ControllerConfiguration>> controllers = new ArrayList<>();
  private final Map<EmbeddedApp<ControllerConfiguration>, StrataApplication> applications =
      new HashMap<>();

  ImagingFleet(Path dir) throws Exception {
    // One pool more than the topology names: the add-pool test brings it in.
    fleet = new TestFleet(dir, POOLS.size() + 1, ImagingFleet::topology);
    fleet.landingPool = "a1-hot";
    fleet.datasetPolicy = "imaging-archive";
    fleet.reconcileYaml = RECONCILE;
  }

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

  /** Sets the split threshold of the controllers started after (150 by default). */
  void shardMaxObjects(int objects) {
    fleet.reconcileYaml =
        fleet.reconcileYaml.replace("shardMaxObjects: 150", "shardMaxObjects: " + objects);
  }

  /** Adds {@code lines} to the {@code reconcile:} block of the controllers started after. */
  void reconcileWith(String lines) {
    fleet.reconcileYaml = RECONCILE + lines;
  }

  EmbeddedApp<ControllerConfiguration> startController(String replica) throws Exception {
    return startController(replica, "");
  }

  /**
   * @param extra more top-level keys of its configuration
   */
  EmbeddedApp<ControllerConfiguration> startController(String replica, String extra)
      throws Exception {
    StrataApplication app = new StrataApplication(clock);
    EmbeddedApp<ControllerConfiguration> c = fleet.startController(replica, app, extra);
    controllers.add(c);
    applications.put(c, app);
    return c;
  }

  /**
   * Kills {@code controller} the way a crash does: its ZooKeeper session expires without a word
   * from it (its ephemeral nodes and leadership go as the server decides), then it stops.
   */
  void crashController(EmbeddedApp<ControllerConfiguration> controller) throws Exception {
    applications
        .get(controller)
        .curator()
        .getZookeeperClient()
        .getZooKeeper()
        .getTestable()
        .injectSessionExpiration();
    stopController(controller);
  }

  /** Stops {@code controller}; the map is read from the controllers still running. */
  void stopController(EmbeddedApp<ControllerConfiguration> controller) throws Exception {
    controller.close();
    controllers.remove(controller);
  }

  /** Starts an agent for every pool of the topology. */
  void startAgents(String controllerUrls) throws Exception {
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
    agents.put(
        id, fleet.startAgent("agent-" + id, "node-" + id, id, i, peers, controllerUrls, agentYaml));
  }

  /** The endpoint of {@link #NEW_POOL}, which runs from the start but no topology names. */
  String newPoolEndpoint() {
    return fleet.pools.get(POOLS.size()).endpoint().toString();
  }

  /**
   * Starts the agent of {@link #NEW_POOL}, the only agent configured with every other pool; the
   * others learn the new pool from the controller.
   */
  void startNewPoolAgent(String controllerUrl) throws Exception {
    Map<String, Integer> peers = new LinkedHashMap<>();
    for (int j = 0; j < POOLS.size(); j++) {
      peers.put(POOLS.get(j)[0], j);
    }
    agents.put(
        NEW_POOL,
        fleet.startAgent(
            "agent-" + NEW_POOL, "room-a2", NEW_POOL, POOLS.size(), peers, controllerUrl, ""));
  }

  Http as(String role) {
    return fleet.as(role);
  }

  /** The {@code relay:} block of a follower that relays its agents' heartbeats. */
  String relayConfig() {
    return fleet.relayConfig();
  }

  Http viewer() {
    return fleet.as(Roles.VIEWER);
  }

  Http operator() {
    return fleet.as(Roles.OPERATOR);
  }

  String token(String role) {
    return fleet.token(role);
  }

  /** Runs {@code strata ctl} against {@code url} with a token of {@code role}; its output. */
  String ctl(String url, String role, String... command) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    String[] args = new String[command.length + 2];
    args[0] = "--url";
    args[1] = url;
    System.arraycopy(command, 0, args, 2, command.length);
    int status =
        io.strata.controller.cli.OperatorCli.run(
            args,
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
            Map.of("STRATA_TOKEN", token(role)));
    assertThat(status).as(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String url(EmbeddedApp<?> app) {
    return "http://127.0.0.1:" + app.port();
  }

  /** Every pool of the topology at start. */
  static Set<String> allPools() {
    Set<String> out = new TreeSet<>();
    POOLS.forEach(p -> out.add(p[0]));
    return out;
  }

  private MinioClient pool(String id) {
    if (id.equals(NEW_POOL)) {
      return TestS3.client(newPoolEndpoint(), TestFleet.KEYS);
    }
    return TestS3.client(fleet.pools.get(poolIndex(id)).endpoint().toString(), TestFleet.KEYS);
  }

  private int poolIndex(String id) {
    for (int i = 0; i < POOLS.size(); i++) {
      if (POOLS.get(i)[0].equals(id)) {
        return i;
      }
    }
    throw new IllegalArgumentException(id);
  }

  /** The file in which the S3 server of pool {@code poolId} keeps object {@code key}. */
  Path objectFile(String poolId, String key) {
    return fleet.dir.resolve("pool-" + poolIndex(poolId)).resolve(DATASET).resolve(key);
  }

  /** Hospital uploads: objects with study dates over six years before T0, in the landing pool. */
  void hospitalWrites(int count) throws Exception {
    MinioClient landing = pool("a1-hot");
    TestFleet.makeBucket(landing, DATASET);
    // Written again, it adds studies after those already written.
    int first = contents.size();
    Random random = new Random(42 + first);
    for (int i = first; i < first + count; i++) {
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

  /**
   * A hospital upload of one object with no metadata, as a PACS that sets none writes it; not
   * counted in {@link #contents}, whose objects follow the bundled policy.
   */
  void landingWrite(String key, byte[] body) throws Exception {
    MinioClient landing = pool("a1-hot");
    TestFleet.makeBucket(landing, DATASET);
    landing.putObject(
        PutObjectArgs.builder().bucket(DATASET).object(key).stream(
                new ByteArrayInputStream(body), body.length, -1)
            .build());
  }

  /** The map of the controller started last that still runs. */
  ClusterMap currentMap() throws Exception {
    JsonNode doc =
        viewer().getJson(url(controllers.get(controllers.size() - 1)) + "/api/v1/cluster-map");
    return TopologyFile.parse("api", doc.toString());
  }

  /**
   * Where every object must be now: its phase at the test clock, placed on the current map by the
   * placement key of the shard holding it in the controller's shard map.
   */
  Map<String, Set<String>> desired(ClusterMap map) throws Exception {
    JsonNode shards =
        viewer()
            .getJson(
                url(controllers.get(controllers.size() - 1))
                    + "/api/v1/datasets/"
                    + DATASET
                    + "/shards");
    TreeMap<String, String> placementKeys = new TreeMap<>(KeyOrder.COMPARATOR);
    shards.forEach(
        s ->
            placementKeys.put(
                s.get("range").get("start").asText(), s.get("placementKey").asText()));
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
      String placementKey = placementKeys.floorEntry(e.getKey()).getValue();
      Placement.place(placementKey, eval.rule(), map).forEach(p -> pools.add(p.id()));
      out.put(e.getKey(), pools);
    }
    return out;
  }

  /**
   * What the hospital wrote, each object once, by the policy that governs it and by its age as that
   * policy counts it now: what the leader's capacity samples must count.
   */
  Map<String, long[]> expectedStock() throws Exception {
    PolicySet policies = PolicySet.of(PolicyLibrary.load(currentMap()).orThrow());
    Map<String, long[]> out = new TreeMap<>();
    for (var e : contents.entrySet()) {
      var policy =
          policies.governing(DATASET, e.getKey(), metadata.get(e.getKey())).policy().orElseThrow();
      Instant from =
          PolicyEvaluator.ageBasis(
                  policy,
                  new StoredObject(e.getKey(), e.getValue().length, T0, metadata.get(e.getKey())))
              .reference();
      long age = Math.floorDiv(clock.instant().getEpochSecond() - from.getEpochSecond(), 86_400L);
      out.put(
          policy.name(),
          io.strata.fleet.capacity.AgeProfile.add(
              out.getOrDefault(policy.name(), new long[0]), age, e.getValue().length));
    }
    return out;
  }

  /** The capacity samples the leaders wrote to the system dataset, on any pool, oldest first. */
  List<JsonNode> capacitySamples() throws Exception {
    TreeMap<String, JsonNode> out = new TreeMap<>();
    for (String id : allPools()) {
      MinioClient client = pool(id);
      if (!client.bucketExists(
          io.minio.BucketExistsArgs.builder().bucket("strata-system").build())) {
        continue;
      }
      for (Result<Item> r :
          client.listObjects(
              ListObjectsArgs.builder()
                  .bucket("strata-system")
                  .prefix("capacity/")
                  .recursive(true)
                  .build())) {
        String key = r.get().objectName();
        if (key.endsWith(".json")) {
          try (var in =
              client.getObject(
                  GetObjectArgs.builder().bucket("strata-system").object(key).build())) {
            out.put(key, new com.fasterxml.jackson.databind.ObjectMapper().readTree(in));
          }
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /** Where every object is: the pools listing it. */
  Map<String, Set<String>> actual(Set<String> pools) throws Exception {
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

  /** The bytes of {@code key} on pool {@code poolId}. */
  byte[] read(String poolId, String key) throws Exception {
    try (var in =
        pool(poolId).getObject(GetObjectArgs.builder().bucket(DATASET).object(key).build())) {
      return in.readAllBytes();
    }
  }

  private boolean placedAsPoliciesRequire(Set<String> readablePools) throws Exception {
    Map<String, Set<String>> want = desired(currentMap());
    Map<String, Set<String>> have = actual(readablePools);
    have.values().forEach(s -> s.retainAll(readablePools));
    Map<String, Set<String>> wantReadable = new TreeMap<>();
    want.forEach((k, v) -> wantReadable.put(k, new TreeSet<>(v)));
    return have.equals(wantReadable);
  }

  /** Waits until every object is on exactly the pools its phase requires, of {@code readable}. */
  void awaitPlacement(String alias, Set<String> readable) {
    // Two thousand objects over six pools take minutes of scans and copies on two cores.
    await(alias)
        .atMost(TestFleet.TIMEOUT.multipliedBy(contents.size() > OBJECTS ? 8 : 3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> placedAsPoliciesRequire(readable));
  }

  /** Every copy carries a SHA-256 marker equal to the hash of what the hospital wrote. */
  void assertEveryCopyVerified(Set<String> pools) throws Exception {
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

  @Override
  public void close() throws Exception {
    fleet.close();
  }
}
