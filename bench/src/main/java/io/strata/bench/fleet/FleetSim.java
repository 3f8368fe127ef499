package io.strata.bench.fleet;

import io.strata.controller.Plan;
import io.strata.controller.security.Hashes;
import io.strata.fleet.reconcile.CopyState;
import io.strata.fleet.reconcile.Shard;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.StoredObject;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyLoader;
import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated fleet around the real controller: the files it reads, its ZooKeeper and shard map,
 * the pools holding every shard where placement puts it (the fleet has been running), and the
 * agents beating. What a scenario needs to watch (where copies are, what the controller counts) is
 * here too.
 *
 * <p>Must be closed.
 */
final class FleetSim implements AutoCloseable {
  final FleetOptions options;
  final Path dir;
  final FleetLayout layout;
  final SimPools pools = new SimPools();
  final Map<String, FleetLayout.PoolSite> sites = new ConcurrentHashMap<>();
  final LinkModel links;
  final SimTasks tasks;
  final PoolEndpoint endpoint;
  final SimController controller;
  final long startNanos = System.nanoTime();
  AgentDriver driver;
  SimFollowers followers;
  List<Shard> shards;
  PlacementRule rule;

  FleetSim(FleetOptions options, Path dir) throws Exception {
    this.options = options;
    this.dir = dir;
    this.endpoint = new PoolEndpoint();
    this.layout = new FleetLayout(options, dir, endpoint.url());
    this.links = new LinkModel(options);
    this.tasks = new SimTasks(pools, links, sites);
    for (FleetLayout.PoolSite s : layout.sites.values()) {
      sites.put(s.pool(), s);
      pools.add(s.pool());
    }
    this.controller = new SimController(dir, layout.tokens);
  }

  /** Writes the files, lays down the shards and their copies, starts the controller and agents. */
  void start() throws Exception {
    Path config = layout.write(controller.connectString());
    shards = controller.layShards(FleetLayout.DATASET, options.shards());
    ClusterMap seed = Plan.loadTopology(dir.resolve("topology.yaml").toString());
    StoragePolicy policy =
        PolicyLoader.loadFiles(List.of(dir.resolve("fleet-sim.yaml")), seed).orThrow().get(0);
    Instant written = Instant.now().minusSeconds(86_400);
    rule =
        PolicyEvaluator.evaluate(
                policy,
                new StoredObject("x", options.objectBytes(), written, Map.of()),
                Instant.now())
            .rule();
    Placer placer = Placement.placer(seed);
    for (Shard shard : shards) {
      int index = shardIndex(shard);
      for (Pool pool : placer.place(shard.placementKey(), rule)) {
        for (int o = 0; o < options.objectsPerShard(); o++) {
          String key = SimController.objectKey(SimController.shardPrefix(index), o);
          pools.put(
              pool.id(),
              key,
              new SimPools.SimObject(options.objectBytes(), Hashes.sha256(key), written));
        }
      }
    }
    controller.start(config);
    List<java.net.URI> bases = List.of(controller.base());
    if (options.followers() > 0) {
      // Started once the leader leads, so that they follow; the agents beat to them only.
      long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
      while (!controller.get("viewer", "api/v1/leader").path("leader").asBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the controller did not lead within 2 minutes");
        }
        Thread.sleep(100);
      }
      followers =
          new SimFollowers(
              layout,
              dir,
              controller.connectString(),
              options.followers(),
              1024,
              layout.tokens.get("viewer"),
              java.time.Duration.ofMinutes(3));
      bases = followers.bases();
    }
    driver = new AgentDriver(options, bases, startNanos);
    driver.start(agents(layout.agents));
  }

  List<SimAgent> agents(List<FleetLayout.Agent> of) {
    List<SimAgent> out = new ArrayList<>();
    for (FleetLayout.Agent a : of) {
      out.add(new SimAgent(a.id(), a.pool(), layout.tokens.get(a.id()), pools, tasks));
    }
    return out;
  }

  /** Shard {@code i} holds the keys under {@code shardPrefix(i)}; the first, those before. */
  private static int shardIndex(Shard shard) {
    String start = shard.range().start();
    return start.isEmpty() ? 0 : Integer.parseInt(start.substring(1, 8));
  }

  /** Fleet seconds since the simulation began. */
  double now() {
    return (System.nanoTime() - startNanos) / 1e9 * options.timeScale();
  }

  long objects() {
    return (long) options.shards() * options.objectsPerShard();
  }

  /** Whether the controller has planned every object and counts each in place. */
  boolean controllerSeesAllInPlace() {
    Map<CopyState, Long> counts = controller.reconciler().stats().objects();
    return counts.getOrDefault(CopyState.OK, 0L) == objects();
  }

  /** Objects the controller counts with fewer copies than required. */
  long controllerMissing() {
    Map<CopyState, Long> counts = controller.reconciler().stats().objects();
    return counts.getOrDefault(CopyState.UNDER_REPLICATED, 0L)
        + counts.getOrDefault(CopyState.AT_RISK, 0L);
  }

  private ClusterMap wantedOn;
  private List<List<Pool>> wanted;

  /**
   * The share of the copies placement wants on the controller's current map that are not there (or
   * not on a reachable pool): what is misplaced or missing. The wanted pools are placed once per
   * map, not at every sample: at a million shards placing them all takes seconds of a core that the
   * controller shares.
   */
  synchronized double misplacedShare() {
    ClusterMap map = controller.maps().current();
    if (map != wantedOn) {
      wanted = placeAll(shards, Placement.placer(map), rule);
      wantedOn = map;
    }
    return misplacedShare(shards, wanted, pools);
  }

  /**
   * The share of the copies {@code placer} wants of {@code shards} by {@code rule} that {@code
   * pools} do not hold, or hold on a pool that does not answer; one object stands for its shard.
   */
  static double misplacedShare(
      List<Shard> shards, Placer placer, PlacementRule rule, SimPools pools) {
    return misplacedShare(shards, placeAll(shards, placer, rule), pools);
  }

  private static List<List<Pool>> placeAll(List<Shard> shards, Placer placer, PlacementRule rule) {
    List<List<Pool>> out = new ArrayList<>(shards.size());
    shards.forEach(shard -> out.add(placer.place(shard.placementKey(), rule)));
    return out;
  }

  private static double misplacedShare(
      List<Shard> shards, List<List<Pool>> wanted, SimPools pools) {
    long want = 0;
    long missing = 0;
    for (int i = 0; i < shards.size(); i++) {
      // The holders of a key by hash rather than each pool's ordered map: a sample at 100,000
      // shards took a fifth of a core, on the cores the controller runs on.
      Set<String> holding = pools.holding(firstKey(shards.get(i)));
      for (Pool pool : wanted.get(i)) {
        want++;
        if (!holding.contains(pool.id()) || !pools.reachable(pool.id())) {
          missing++;
        }
      }
    }
    return want == 0 ? 0 : (double) missing / want;
  }

  /** The key of the shard's first object, which stands for its shard. */
  private static String firstKey(Shard shard) {
    return SimController.objectKey(SimController.shardPrefix(shardIndex(shard)), 0);
  }

  /**
   * Objects with fewer than the policy's copies in distinct rooms on reachable pools outside {@code
   * excluded} (pools being drained do not count).
   */
  long underReplicated(Set<String> excluded) {
    return underReplicatedKeys(excluded).size();
  }

  /** The keys of the objects {@link #underReplicated} counts. */
  Set<String> underReplicatedKeys(Set<String> excluded) {
    Set<String> under = new java.util.HashSet<>();
    for (Shard shard : shards) {
      String prefix = SimController.shardPrefix(shardIndex(shard));
      for (int o = 0; o < options.objectsPerShard(); o++) {
        String key = SimController.objectKey(prefix, o);
        if (!whole(key, excluded)) {
          under.add(key);
        }
      }
    }
    return under;
  }

  /**
   * Whether the object has the policy's copies in distinct rooms on reachable pools outside {@code
   * excluded}.
   */
  boolean whole(String key, Set<String> excluded) {
    Set<String> rooms = new java.util.HashSet<>();
    for (String p : pools.holding(key)) {
      if (!excluded.contains(p) && pools.reachable(p)) {
        rooms.add(sites.get(p).room());
      }
    }
    return rooms.size() >= FleetLayout.COPIES;
  }

  @Override
  public void close() throws Exception {
    if (driver != null) {
      driver.close();
    }
    if (followers != null) {
      followers.close();
    }
    controller.close();
    endpoint.close();
  }

  static Path tempDir() throws java.io.IOException {
    return Files.createTempDirectory("strata-fleet-sim");
  }
}
