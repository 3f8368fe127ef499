package io.strata.system;

import io.dropwizard.lifecycle.JettyManaged;
import io.strata.agent.AgentApplication;
import io.strata.agent.AgentConfiguration;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.StrataApplication;
import io.strata.controller.audit.AuditTrail;
import io.strata.controller.security.Hashes;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import io.strata.demo.EmbeddedS3Pool;
import io.strata.runtime.TestTimeouts;
import io.strata.runtime.s3.PoolCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;

/**
 * Real components for integration tests, all on loopback with free ports: an embedded ZooKeeper,
 * S3Proxy pools, controllers and agents started from generated configuration files, with the
 * credentials they read. {@link StandInAgent} plays an agent against its controllers.
 */
public final class TestFleet implements AutoCloseable {
  /** Every wait in the integration tests derives from this one setting. */
  public static final Duration TIMEOUT = TestTimeouts.TIMEOUT;

  final Path dir;
  final TestingServer zookeeper;
  final List<EmbeddedS3Pool> pools = new ArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();

  /** The landing pool of the test dataset {@code h01-imaging}. */
  String landingPool = "pool-0";

  /**
   * The policy of the test dataset; by default none, so the reconciler scans but moves nothing
   * under tests that count objects.
   */
  String datasetPolicy = "null";

  /**
   * Datasets beside {@code h01-imaging}: lines of the {@code datasets:} list, each indented by two
   * spaces and ending in a newline.
   */
  String moreDatasets = "";

  /** The controller's {@code reconcile:} block. */
  String reconcileYaml = "reconcile:\n  interval: 1s\n";

  static final PoolCredentials KEYS =
      new PoolCredentials("TESTACCESSKEY", "test-secret-key-0123456789");

  /**
   * Makes a bucket on a pool unless it is there: a leader's bucket keeper makes the datasets'
   * buckets too, and may make one between a test's check and its create.
   */
  static void makeBucket(io.minio.MinioClient pool, String bucket) throws Exception {
    try {
      pool.makeBucket(io.minio.MakeBucketArgs.builder().bucket(bucket).build());
    } catch (io.minio.errors.ErrorResponseException e) {
      String code = e.errorResponse().code();
      if (!code.equals("BucketAlreadyOwnedByYou") && !code.equals("BucketAlreadyExists")) {
        throw e;
      }
    }
  }

  /** How many numbered agents ({@code agent-s0}, ...) a fleet of many pools may start. */
  static final int NUMBERED_AGENTS = 32;

  /** Agent ids that get a token of their own; an agent not listed here cannot heartbeat. */
  static final List<String> AGENT_IDS =
      java.util.stream.Stream.concat(
              java.util.stream.IntStream.range(0, NUMBERED_AGENTS).mapToObj(i -> "agent-s" + i),
              java.util.stream.Stream.of(
                  "agent-a",
                  "agent-b",
                  "agent-c",
                  "agent-x",
                  "agent-a1-hot",
                  "agent-a2-warm",
                  "agent-a2-cold",
                  "agent-b1-hot",
                  "agent-b2-cold",
                  "agent-b2-hot",
                  "agent-a2-hot"))
          .toList();

  /** One bearer token per role (agent tokens per agent id), generated for this fleet. */
  final Map<String, String> tokens = new LinkedHashMap<>();

  /** The controllers' application connector; a TLS test makes it https. */
  String applicationConnector = "{type: http, port: 0, bindHost: 127.0.0.1}";

  /** More keys of the controllers' {@code zookeeper:} block, each line indented by two spaces. */
  String zookeeperExtra = "";

  /** More keys of the controllers' {@code security:} block, each line indented by two spaces. */
  String securityExtra = "";

  /** The {@code relay:} block that makes a follower relay its agents' heartbeats to the leader. */
  String relayConfig() {
    return "relay: {tokenFile: \"%s\", maxWait: 5ms}\n".formatted(dir.resolve("replica.token"));
  }

  /** The controllers' agent lease; tests that load the machine heavily give agents longer. */
  String agentLease = "3s";

  /** How often each agent counts its pool (a whole listing of the pool every time). */
  String censusInterval = "1s";

  /** How often the agents started next beat. */
  String heartbeatInterval = "1s";

  /** The root log level; every app of the fleet logs to {@link #logFile} as well. */
  String logLevel = "WARN";

  /** Where every app of the fleet logs (and the controllers' request log), for secret scans. */
  Path logFile() {
    return dir.resolve("fleet.log");
  }

  /** A replica's own tokens file, by replica id; the others read the fleet's {@code tokens.yml}. */
  final Map<String, Path> tokensFiles = new java.util.HashMap<>();

  /** User name to password, one user per role, generated for this fleet. */
  final Map<String, String> passwords = new LinkedHashMap<>();

  /**
   * A password per role and its bcrypt hash, made once per test JVM: a hash at the production cost
   * takes a quarter of a second of a core, and every fleet of every test would otherwise make its
   * own (a fifth of the CPU of a short integration test went to them).
   */
  private record Login(String password, String hash) {
    static Login of(String role) {
      String password = "pw-" + role + "-" + Hashes.randomToken();
      return new Login(password, Hashes.bcrypt(password));
    }
  }

  private static final Map<String, Login> LOGINS = new java.util.concurrent.ConcurrentHashMap<>();

  TestFleet(Path dir, int poolCount) throws Exception {
    this(dir, poolCount, null);
  }

  /**
   * @param topology the topology file to write, given the pools' endpoints in order; null for one
   *     site with one room, rack and node per pool ({@code pool-0}, {@code pool-1}, ...)
   */
  TestFleet(Path dir, int poolCount, java.util.function.Function<List<String>, String> topology)
      throws Exception {
    this(dir, poolCount, topology, false);
  }

  /**
   * @param inMemoryPools whether the pools hold their objects in memory ({@link
   *     EmbeddedS3Pool#startInMemory}), for tests of many thousand objects per pool; such pools
   *     cannot be restarted with their objects
   */
  TestFleet(
      Path dir,
      int poolCount,
      java.util.function.Function<List<String>, String> topology,
      boolean inMemoryPools)
      throws Exception {
    this.dir = dir;
    zookeeper = new TestingServer(true);
    closeables.add(zookeeper);
    Files.writeString(
        dir.resolve("pool.credentials"),
        "accessKey=" + KEYS.accessKey() + "\nsecretKey=" + KEYS.secretKey() + "\n");
    for (int i = 0; i < poolCount; i++) {
      EmbeddedS3Pool pool =
          inMemoryPools
              ? EmbeddedS3Pool.startInMemory(0, KEYS)
              : EmbeddedS3Pool.start(dir.resolve("pool-" + i), 0, KEYS);
      pools.add(pool);
      closeables.add(pool);
    }
    List<String> endpoints = pools.stream().map(p -> p.endpoint().toString()).toList();
    Files.writeString(
        dir.resolve("topology.yaml"), topology == null ? topology() : topology.apply(endpoints));

    writeSecurityFiles();
  }

  /**
   * Writes {@code users.yml} (a user per role, named after it, bcrypt hashes only) and {@code
   * tokens.yml} (a token per role, and one per agent id, SHA-256 only), and each agent's token
   * file.
   */
  private void writeSecurityFiles() throws Exception {
    StringBuilder users = new StringBuilder("users:\n");
    StringBuilder tokenLines = new StringBuilder("tokens:\n");
    for (String role : Roles.ALL) {
      if (!role.equals(Roles.AGENT)) {
        if (!role.equals(Roles.REPLICA)) { // The replicas' role is a token's, not a person's.
          Login login = LOGINS.computeIfAbsent(role, Login::of);
          passwords.put(role, login.password());
          users.append(
              "  - {name: %s, passwordHash: \"%s\", roles: [%s]}\n"
                  .formatted(role, login.hash(), role));
        }
        String token = "tok-" + role + "-" + Hashes.randomToken();
        tokens.put(role, token);
        tokenLines.append(
            "  - {name: %s-token, sha256: %s, roles: [%s]}\n"
                .formatted(role, Hashes.sha256(token), role));
      }
    }
    for (String agentId : AGENT_IDS) {
      String token = "tok-agent-" + Hashes.randomToken();
      tokens.put(agentId, token);
      tokenLines.append(
          "  - {name: %s, sha256: %s, roles: [agent], agentId: %s}\n"
              .formatted(agentId, Hashes.sha256(token), agentId));
      Files.writeString(dir.resolve(agentId + ".token"), token + "\n");
    }
    Files.writeString(dir.resolve("replica.token"), tokens.get(Roles.REPLICA) + "\n");
    Files.writeString(dir.resolve("users.yml"), users.toString());
    Files.writeString(dir.resolve("tokens.yml"), tokenLines.toString());
  }

  /** The password of the user named after {@code role}. */
  String password(String role) {
    return passwords.get(role);
  }

  /** The bearer token of {@code roleOrAgentId}. */
  String token(String roleOrAgentId) {
    return tokens.get(roleOrAgentId);
  }

  /** A client with the token of {@code roleOrAgentId}. */
  /** Waits until exactly one of two replicas leads, and returns it. */
  EmbeddedApp<ControllerConfiguration> leaderOf(
      EmbeddedApp<ControllerConfiguration> first, EmbeddedApp<ControllerConfiguration> second) {
    Http viewer = as(Roles.VIEWER);
    String firstAsks = "http://127.0.0.1:" + first.port() + "/api/v1/leader";
    String secondAsks = "http://127.0.0.1:" + second.port() + "/api/v1/leader";
    org.awaitility.Awaitility.await("one leader")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                viewer.getJson(firstAsks).get("leader").asBoolean()
                    ^ viewer.getJson(secondAsks).get("leader").asBoolean());
    try {
      return viewer.getJson(firstAsks).get("leader").asBoolean() ? first : second;
    } catch (Exception e) {
      throw new IllegalStateException("cannot ask " + firstAsks + " whether it leads", e);
    }
  }

  Http as(String roleOrAgentId) {
    return Http.bearer(tokens.get(roleOrAgentId));
  }

  /** Every secret of this fleet: pool keys, passwords, tokens. */
  List<String> secrets() {
    List<String> all = new ArrayList<>(List.of(KEYS.secretKey()));
    all.addAll(passwords.values());
    all.addAll(tokens.values());
    return all;
  }

  /** One site, one room per pool, one rack and node per room. */
  String topology() {
    StringBuilder sb =
        new StringBuilder(
            "tiers:\n  - {name: hot-nvme, fillCeiling: 0.85}\ndomains:\n"
                + "  - {id: region-1, level: region}\n  - {id: site-1, level: site, parent: region-1}\n");
    StringBuilder pools = new StringBuilder("pools:\n");
    for (int i = 0; i < this.pools.size(); i++) {
      sb.append("  - {id: room-%d, level: room, parent: site-1}\n".formatted(i));
      sb.append("  - {id: rack-%d, level: rack, parent: room-%d}\n".formatted(i, i));
      sb.append("  - {id: node-%d, level: node, parent: rack-%d}\n".formatted(i, i));
      pools.append(
          "  - {id: pool-%d, domain: node-%d, tier: hot-nvme, endpoint: \"%s\", capacity: 1GiB, credentials: \"file:pool.credentials\"}\n"
              .formatted(i, i, this.pools.get(i).endpoint()));
    }
    return sb.append(pools).toString();
  }

  Path controllerConfig(String replicaId, String extra) throws Exception {
    String yaml =
        """
        replicaId: %s
        topologyFile: %s
        credentialsDir: %s
        agentLease: %s
        zookeeper:
          connectString: %s
          sessionTimeout: 4s
          connectionTimeout: 3s
        %s
        datasets:
          - {name: h01-imaging, description: test hospital, policy: %s, landingPools: [%s]}
        %ssecurity:
          usersFile: %s
          tokensFile: %s
          secureCookie: false
        %s
        audit:
          spoolDir: %s
          flushInterval: 200ms
        server:
          applicationConnectors: [%s]
          adminConnectors: [{type: http, port: 0, bindHost: 127.0.0.1}]
          requestLog:
            appenders: [{type: file, currentLogFilename: %s, archive: false}]
        logging:
          level: %s
          loggers: {io.strata: INFO}
          appenders: [{type: console}, {type: file, currentLogFilename: %s, archive: false}]
        %s
        """
            .formatted(
                replicaId,
                dir.resolve("topology.yaml"),
                dir,
                agentLease,
                zookeeper.getConnectString(),
                zookeeperExtra,
                datasetPolicy,
                landingPool,
                moreDatasets,
                dir.resolve("users.yml"),
                tokensFiles.getOrDefault(replicaId, dir.resolve("tokens.yml")),
                securityExtra,
                dir.resolve("audit-spool-" + replicaId),
                applicationConnector,
                dir.resolve("requests.log"),
                logLevel,
                logFile(),
                reconcileYaml + extra);
    Path file = dir.resolve(replicaId + ".yml");
    Files.writeString(file, yaml);
    return file;
  }

  EmbeddedApp<ControllerConfiguration> startController(String replicaId) throws Exception {
    return startController(replicaId, new StrataApplication(), "");
  }

  EmbeddedApp<ControllerConfiguration> startController(
      String replicaId, StrataApplication app, String extraConfig) throws Exception {
    EmbeddedApp<ControllerConfiguration> started =
        EmbeddedApp.start(app, controllerConfig(replicaId, extraConfig));
    closeables.add(started);
    return started;
  }

  EmbeddedApp<AgentConfiguration> startAgent(String agentId, int pool, int controllerPort)
      throws Exception {
    return startAgent(agentId, pool, "http://127.0.0.1:" + controllerPort, "");
  }

  /**
   * Starts an agent of {@code pool} talking to {@code controllerUrl}.
   *
   * @param extra more top-level keys of its configuration
   */
  EmbeddedApp<AgentConfiguration> startAgent(
      String agentId, int pool, String controllerUrl, String extra) throws Exception {
    return startAgent(
        agentId, "node-" + pool, "pool-" + pool, pool, Map.of(), controllerUrl, extra);
  }

  /**
   * Starts an agent serving one pool and able to read {@code peers} (pool id to index in {@link
   * #pools}) when it copies.
   *
   * @param controllerUrls one or more controller URLs, comma-separated
   * @param extra more top-level keys of its configuration
   */
  EmbeddedApp<AgentConfiguration> startAgent(
      String agentId,
      String node,
      String poolId,
      int pool,
      Map<String, Integer> peers,
      String controllerUrls,
      String extra)
      throws Exception {
    Path data = Files.createDirectories(dir.resolve("data-" + agentId));
    StringBuilder peerLines = new StringBuilder();
    peers.forEach(
        (id, index) ->
            peerLines.append(
                "  - {id: %s, endpoint: \"%s\", credentials: \"file:pool.credentials\", serve: false}\n"
                    .formatted(id, pools.get(index).endpoint())));
    String yaml =
        """
        agentId: %s
        node: %s
        controllerUrl: "%s"
        heartbeatInterval: %s
        censusInterval: %s
        credentialsDir: %s
        controllerToken: "file:%s.token"
        dataPaths: [%s]
        pools:
          - {id: %s, endpoint: "%s", credentials: "file:pool.credentials"}
        %s
        metrics: {tokensFile: %s}
        server:
          type: simple
          applicationContextPath: /
          adminContextPath: /admin
          connector: {type: http, port: 0, bindHost: 127.0.0.1}
          requestLog: {appenders: []}
        logging:
          level: %s
          loggers: {io.strata: INFO}
          appenders: [{type: console}, {type: file, currentLogFilename: %s, archive: false}]
        %s
        """
            .formatted(
                agentId,
                node,
                controllerUrls,
                heartbeatInterval,
                censusInterval,
                dir,
                agentId,
                data,
                poolId,
                pools.get(pool).endpoint(),
                peerLines.toString().stripTrailing(),
                dir.resolve("tokens.yml"),
                logLevel,
                logFile(),
                extra);
    Path file = dir.resolve(agentId + ".yml");
    Files.writeString(file, yaml);
    EmbeddedApp<AgentConfiguration> app = EmbeddedApp.start(new AgentApplication(), file);
    closeables.add(app);
    return app;
  }

  /** The audit trail of a running controller: tests read its spool state directly. */
  static AuditTrail auditTrail(EmbeddedApp<ControllerConfiguration> controller) {
    return controller.environment().lifecycle().getManagedObjects().stream()
        .filter(JettyManaged.class::isInstance)
        .map(m -> ((JettyManaged) m).getManaged())
        .filter(AuditTrail.class::isInstance)
        .map(AuditTrail.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /** The port of the admin connector of a running app, which listens on a free port. */
  static int adminPort(EmbeddedApp<?> app) {
    for (var connector : app.environment().getApplicationContext().getServer().getConnectors()) {
      if (connector instanceof org.eclipse.jetty.server.ServerConnector sc
          && "admin".equals(sc.getName())) {
        return sc.getLocalPort();
      }
    }
    throw new IllegalStateException("no admin connector");
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // Already stopped by the test (a killed agent, a stopped controller).
      }
    }
  }
}
