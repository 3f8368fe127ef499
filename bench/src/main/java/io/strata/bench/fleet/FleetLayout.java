package io.strata.bench.fleet;

import io.strata.controller.security.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulated fleet's names and the files a controller reads: one site, {@code rooms} rooms, one
 * pool per rack served by each of the rack's nodes' agents; the topology, the policy, the users and
 * tokens (one token per agent), and {@code controller.yml}. Racks the {@code racks-added} scenario
 * brings are declared as domains from the start, without pools: an operator adds their pools.
 */
final class FleetLayout {
  static final String DATASET = "fleet-sim";
  static final String TIER = "hot-nvme";
  static final String SITE = "site-1";
  static final int COPIES = 2;

  /** Where a pool is in the failure-domain tree. */
  record PoolSite(String pool, String rack, String room, String site) {}

  /** One agent: its id (its node's) and the pool it serves. */
  record Agent(String id, String pool) {}

  final FleetOptions options;
  final Path dir;
  final Map<String, PoolSite> sites = new LinkedHashMap<>();
  final List<Agent> agents = new ArrayList<>();
  final List<PoolSite> addable = new ArrayList<>();
  final List<Agent> addableAgents = new ArrayList<>();
  final Map<String, String> tokens = new LinkedHashMap<>();
  final String endpoint;

  FleetLayout(FleetOptions options, Path dir, String endpoint) {
    this.options = options;
    this.dir = dir;
    this.endpoint = endpoint;
    for (int room = 0; room < options.rooms(); room++) {
      for (int rack = 0; rack < options.racksPerRoom(); rack++) {
        PoolSite site = site(room, rack);
        sites.put(site.pool(), site);
        for (int n = 0; n < options.nodesPerRack(); n++) {
          agents.add(new Agent(node(room, rack, n), site.pool()));
        }
      }
    }
    if (options.scenario() == Scenario.RACKS_ADDED) {
      for (int i = 0; i < options.addedRacks(); i++) {
        int room = i % options.rooms();
        int rack = options.racksPerRoom() + i / options.rooms();
        PoolSite site = site(room, rack);
        addable.add(site);
        for (int n = 0; n < options.nodesPerRack(); n++) {
          addableAgents.add(new Agent(node(room, rack, n), site.pool()));
        }
      }
    }
  }

  private static PoolSite site(int room, int rack) {
    return new PoolSite(
        String.format(Locale.ROOT, "pool-%02d-%04d", room, rack),
        String.format(Locale.ROOT, "rack-%02d-%04d", room, rack),
        String.format(Locale.ROOT, "room-%02d", room),
        SITE);
  }

  private static String node(int room, int rack, int n) {
    return String.format(Locale.ROOT, "node-%02d-%04d-%d", room, rack, n);
  }

  /** The room that power-loss and drain scenarios hit: the first. */
  String firstRoom() {
    return "room-00";
  }

  /** Writes every file the controller reads; returns {@code controller.yml}. */
  Path write(String zookeeper) throws IOException {
    Files.writeString(
        dir.resolve("pool.credentials"), "accessKey=SIMKEY\nsecretKey=sim-secret-key-0123\n");
    Files.writeString(dir.resolve("topology.yaml"), topology());
    Files.writeString(dir.resolve("fleet-sim.yaml"), policy());
    writeIdentities();
    Path config = dir.resolve("controller.yml");
    Files.writeString(config, controllerYaml(zookeeper, "sim-controller", 0));
    return config;
  }

  /**
   * Writes the configuration of follower {@code index}, serving on {@code port}: the leader's, but
   * its own replica id, audit spool and log.
   */
  Path writeFollower(String zookeeper, int index, int port) throws IOException {
    Path config = dir.resolve("follower-" + index + ".yml");
    Files.writeString(config, controllerYaml(zookeeper, "sim-follower-" + index, port));
    return config;
  }

  String topology() {
    StringBuilder domains =
        new StringBuilder("tiers:\n  - {name: " + TIER + ", fillCeiling: 0.85}\ndomains:\n")
            .append("  - {id: region-1, level: region}\n")
            .append("  - {id: " + SITE + ", level: site, parent: region-1}\n");
    StringBuilder pools = new StringBuilder("pools:\n");
    for (int room = 0; room < options.rooms(); room++) {
      domains.append(
          String.format(Locale.ROOT, "  - {id: room-%02d, level: room, parent: %s}\n", room, SITE));
    }
    List<PoolSite> all = new ArrayList<>(sites.values());
    all.addAll(addable);
    for (PoolSite s : all) {
      domains.append("  - {id: " + s.rack() + ", level: rack, parent: " + s.room() + "}\n");
    }
    for (PoolSite s : sites.values()) {
      pools.append("  - ").append(poolEntry(s)).append('\n');
    }
    return domains.append(pools).toString();
  }

  /** A pool in topology-file form (YAML flow style, which is JSON for the API too). */
  String poolEntry(PoolSite s) {
    return String.format(
        Locale.ROOT,
        "{\"id\": \"%s\", \"domain\": \"%s\", \"tier\": \"%s\", \"endpoint\": \"%s\","
            + " \"capacity\": \"%dTiB\", \"credentials\": \"file:pool.credentials\"}",
        s.pool(),
        s.rack(),
        TIER,
        endpoint,
        Math.max(1, capacityTiB()));
  }

  /** Each pool's capacity: room for three times its share of the copies. */
  private long capacityTiB() {
    double bytes = 3.0 * COPIES * options.shards() * options.shardBytes() / options.racks();
    return (long) Math.ceil(bytes / (1L << 40));
  }

  static String policy() {
    return """
        # The simulated fleet's data: two copies on hot pools in two rooms, for good.
        policy: fleet-sim
        description: simulated fleet data, two copies in two rooms
        datasets: ["%s"]
        recordClass: none
        phases:
          0d: %d x %s spread room
        retention:
          minimum: 1y
        expiry: never
        """
        .formatted(DATASET, COPIES, TIER);
  }

  /** Bearer tokens: operator, admin and viewer, and one per agent (its id in the token). */
  private void writeIdentities() throws IOException {
    Files.writeString(
        dir.resolve("users.yml"),
        "users:\n  - {name: operator, passwordHash: \""
            + Hashes.bcrypt(Hashes.randomToken())
            + "\", roles: [operator]}\n");
    StringBuilder lines = new StringBuilder("tokens:\n");
    for (String role : List.of("operator", "admin", "viewer", "replica", "metrics")) {
      String token = "tok-" + role + "-" + Hashes.randomToken();
      tokens.put(role, token);
      lines.append(
          "  - {name: %s-token, sha256: %s, roles: [%s]}\n"
              .formatted(role, Hashes.sha256(token), role));
    }
    List<Agent> all = new ArrayList<>(agents);
    all.addAll(addableAgents);
    for (Agent agent : all) {
      String token = "tok-" + agent.id() + "-" + Hashes.randomToken();
      tokens.put(agent.id(), token);
      lines.append(
          "  - {name: %s, sha256: %s, roles: [agent], agentId: %s}\n"
              .formatted(agent.id(), Hashes.sha256(token), agent.id()));
    }
    Files.writeString(dir.resolve("tokens.yml"), lines.toString());
    Files.writeString(dir.resolve("replica.token"), tokens.get("replica") + "\n");
  }

  private String controllerYaml(String zookeeper, String replicaId, int port) {
    FleetOptions o = options;
    return """
        replicaId: %s
        topologyFile: %s
        credentialsDir: %s
        agentLease: %dms
        zookeeper:
          connectString: %s
          sessionTimeout: 30s
          connectionTimeout: 15s
        reconcile:
          interval: %dms
          rescanInterval: %dms
          grace: %dms
          taskLease: %dms
          scrubInterval: %dms
          scrubDeadline: %dms
          balanceInterval: %dms
          rackBytesPerSecond: %dMiB/s
          roomBytesPerSecond: %dMiB/s
          policyFiles: [%s]
        datasets:
          - {name: %s, description: simulated hospital data, policy: fleet-sim, landingPools: []}
        relay: {tokenFile: %s}
        security:
          usersFile: %s
          tokensFile: %s
          secureCookie: false
        audit:
          spoolDir: %s
          flushInterval: 1s
        server:
          applicationConnectors: [{type: http, port: %d, bindHost: 127.0.0.1}]
          adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
          requestLog: {appenders: []}
        logging:
          level: WARN
          loggers: {io.strata: INFO}
          appenders: [{type: file, currentLogFilename: %s, archive: false}]
        """
        .formatted(
            replicaId,
            dir.resolve("topology.yaml"),
            dir,
            ms(o, 3 * o.heartbeatSeconds()),
            zookeeper,
            ms(o, 10),
            ms(o, 3600),
            ms(o, o.graceSeconds()),
            ms(o, 120),
            // The controller's defaults, scaled as every period is: the interval must stay within
            // the
            // deadline, which a scaled interval beside the default deadline would not below x1.
            ms(o, 20 * 86400),
            ms(o, 30 * 86400),
            ms(o, 600),
            mibps(o.rackBudget() * o.timeScale()),
            mibps(o.roomBudget() * o.timeScale()),
            dir.resolve("fleet-sim.yaml"),
            DATASET,
            dir.resolve("replica.token"),
            dir.resolve("users.yml"),
            dir.resolve("tokens.yml"),
            dir.resolve("audit-spool-" + replicaId),
            port,
            dir.resolve(replicaId + ".log"));
  }

  /** The controller's lease is three heartbeats, as an agent's default lease is. */
  private static long ms(FleetOptions o, double fleetSeconds) {
    return Math.max(1, o.wall(fleetSeconds).toMillis());
  }

  private static long mibps(double bytesPerSecond) {
    return Math.min(1L << 20, Math.max(1, (long) (bytesPerSecond / (1 << 20))));
  }
}
