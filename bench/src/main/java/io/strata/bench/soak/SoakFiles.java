package io.strata.bench.soak;

import io.strata.controller.security.Hashes;
import io.strata.demo.DemoCredentials;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.Pool;
import io.strata.topology.TopologyFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The soak's files under its directory: the demo topology (two sites, four rooms, eight pools of
 * three tiers) with the soak's endpoints, each pool's credentials, the users and tokens (the
 * demo's, plus a viewer token for the soak itself), three ZooKeeper members' {@code zoo.cfg}, three
 * controller replicas' and one agent per pool's configuration. Every port is chosen free once,
 * before anything starts, so that a process started again listens where the others expect it.
 */
final class SoakFiles {
  /** The controllers' ZooKeeper session timeout, which a paused leader must outlast. */
  static final int SESSION_TIMEOUT_S = 6;

  /** A controller replica: its id and ports. */
  record Replica(String id, int port, int adminPort) {
    String url() {
      return "http://127.0.0.1:" + port;
    }
  }

  /** A ZooKeeper member: its id (myid) and ports. */
  record Member(int id, int clientPort, int quorumPort, int electionPort) {}

  /**
   * One pool: where it serves and where clients reach it (the same port, unless a TCP proxy stands
   * in front of it).
   */
  record PoolSite(Pool pool, int servePort, int publicPort, Path dataDir, Path credentials) {
    boolean proxied() {
      return servePort != publicPort;
    }
  }

  /** A hospital feeding one dataset through one landing pool. */
  record Hospital(String dataset, String landingPool) {}

  static final List<Hospital> HOSPITALS =
      List.of(
          new Hospital("h01-imaging", "czzl-a-r01-hot"),
          new Hospital("h02-imaging", "czzl-b-r01-hot"),
          new Hospital("h03-imaging", "lytm-a-r01-hot"));

  /** The pool that a TCP proxy stands in front of (resets and delays). */
  static final String PROXIED_POOL = "czzl-b-r02-cold";

  /** The pool lost for good during the run, with its node and agent. */
  static final String LOST_POOL = "lytm-b-r02-warm";

  final Path dir;
  final Instant timeOrigin;
  final double timeScale;
  final List<Member> members = new ArrayList<>();
  final List<Replica> replicas = new ArrayList<>();
  final Map<String, PoolSite> pools = new LinkedHashMap<>();
  final ClusterMap map;
  final DemoCredentials security;
  final String viewerToken;

  SoakFiles(Path dir, Instant timeOrigin, double timeScale) throws IOException {
    this.dir = dir.toAbsolutePath();
    this.timeOrigin = timeOrigin;
    this.timeScale = timeScale;
    Files.createDirectories(this.dir);
    ClusterMap demo = TopologyFile.parse("demo-topology.yaml", DemoTopology.text());
    List<Integer> ports = freePorts(9 + 6 + demo.pools().size() + 1);
    int next = 0;
    for (int i = 1; i <= 3; i++) {
      members.add(new Member(i, ports.get(next++), ports.get(next++), ports.get(next++)));
    }
    for (int i = 1; i <= 3; i++) {
      replicas.add(new Replica("soak-c" + i, ports.get(next++), ports.get(next++)));
    }
    String topology = DemoTopology.text();
    for (Pool pool : demo.pools().values()) {
      int serve = ports.get(next++);
      int reached = pool.id().equals(PROXIED_POOL) ? ports.get(next++) : serve;
      Path credentials = this.dir.resolve("pools").resolve(pool.id() + ".credentials");
      writeCredentials(credentials, pool.id());
      pools.put(
          pool.id(),
          new PoolSite(
              pool, serve, reached, this.dir.resolve("pools").resolve(pool.id()), credentials));
      topology =
          topology.replace("\"" + pool.endpoint() + "\"", "\"http://127.0.0.1:" + reached + "\"");
    }
    Files.writeString(this.dir.resolve("topology.yaml"), topology);
    map = TopologyFile.parse("topology.yaml", topology);
    // The sites name the pools as the written topology has them, with the soak's endpoints.
    pools.replaceAll(
        (id, site) ->
            new PoolSite(
                map.pool(id).orElseThrow(),
                site.servePort(),
                site.publicPort(),
                site.dataDir(),
                site.credentials()));
    security =
        DemoCredentials.ensure(
            this.dir.resolve("security"), map.pools().values().stream().map(Pool::domain).toList());
    viewerToken = Hashes.randomToken();
    Files.writeString(
        security.tokensFile(),
        "  - {name: soak-viewer, sha256: %s, roles: [viewer]}\n"
            .formatted(Hashes.sha256(viewerToken)),
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(this.dir.resolve("logback.xml"), LOGBACK);
  }

  /** Ports free on 127.0.0.1 now, all distinct. */
  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        held.add(socket);
        out.add(socket.getLocalPort());
      }
      return out;
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  private static void writeCredentials(Path file, String poolId) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "accessKey=SOAK"
            + Math.abs(poolId.hashCode())
            + "\nsecretKey="
            + Hashes.randomToken()
            + "\n");
  }

  /** Every port the soak's processes listen on. */
  List<Integer> ports() {
    List<Integer> out = new ArrayList<>();
    for (Member m : members) {
      out.addAll(List.of(m.clientPort(), m.quorumPort(), m.electionPort()));
    }
    for (Replica r : replicas) {
      out.addAll(List.of(r.port(), r.adminPort()));
    }
    for (PoolSite p : pools.values()) {
      out.add(p.servePort());
      if (p.proxied()) {
        out.add(p.publicPort());
      }
    }
    return out;
  }

  Path logs() {
    return dir.resolve("logs");
  }

  /** Where the agent serving {@code pool} records the copies it deletes. */
  Path deletionRecords(String pool) {
    return logs().resolve("deletions-" + pool + ".log");
  }

  String zookeeperConnect() {
    return members.stream()
        .map(m -> "127.0.0.1:" + m.clientPort())
        .collect(Collectors.joining(","));
  }

  Path zookeeperData(Member member) {
    return dir.resolve("zookeeper").resolve("zk-" + member.id());
  }

  /** Writes the member's {@code zoo.cfg} and {@code myid}; returns the {@code zoo.cfg}. */
  Path zookeeperConfig(Member member) throws IOException {
    Path data = zookeeperData(member);
    Files.createDirectories(data);
    Files.writeString(data.resolve("myid"), member.id() + "\n");
    StringBuilder cfg =
        new StringBuilder(
            """
            # ZooKeeper member %d of the soak's ensemble, loopback only.
            tickTime=500
            initLimit=20
            syncLimit=10
            minSessionTimeout=2000
            maxSessionTimeout=20000
            dataDir=%s
            clientPort=%d
            clientPortAddress=127.0.0.1
            admin.enableServer=false
            4lw.commands.whitelist=srvr
            autopurge.purgeInterval=0
            """
                .formatted(member.id(), data, member.clientPort()));
    for (Member m : members) {
      cfg.append("server.%d=127.0.0.1:%d:%d\n".formatted(m.id(), m.quorumPort(), m.electionPort()));
    }
    Path file = data.resolve("zoo.cfg");
    Files.writeString(file, cfg.toString());
    return file;
  }

  Path controllerConfig(Replica replica) throws IOException {
    StringBuilder datasets = new StringBuilder();
    for (Hospital h : HOSPITALS) {
      datasets.append(
          "  - {name: %s, description: \"soak hospital\", policy: imaging-archive, landingPools: [%s]}\n"
              .formatted(h.dataset(), h.landingPool()));
    }
    String yaml =
        """
        # Controller replica %1$s of the chaos soak.
        replicaId: %1$s
        topologyFile: %2$s
        credentialsDir: %3$s
        agentLease: 6s
        site: changzhou-zhonglou
        zookeeper:
          connectString: %4$s
          sessionTimeout: %5$ds
          connectionTimeout: 3s
          digest: "file:%6$s"
        datasets:
        %7$s
        reconcile:
          interval: 1s
          rescanInterval: 15s
          grace: 15s
          taskLease: 20s
          # Objects age %8$.0f times faster than real time, counted from one origin for every
          # replica, so that a fail-over does not move the age clock.
          timeScale: %8$.0f
          timeOrigin: %9$s
        security:
          usersFile: %10$s
          tokensFile: %11$s
          metrics: {public: true}
        audit:
          spoolDir: %12$s
          flushInterval: 500ms
        server:
          applicationConnectors:
            - {type: http, port: %13$d, bindHost: 127.0.0.1}
          adminConnectors:
            - {type: http, port: %14$d, bindHost: 127.0.0.1}
          requestLog:
            appenders: []
        logging:
          level: WARN
          loggers:
            io.strata: INFO
          appenders:
            - type: console
              logFormat: "%%-5p [%%d{ISO8601,UTC}] %%c: %%m%%n%%rEx"
        """
            .formatted(
                replica.id(),
                dir.resolve("topology.yaml"),
                dir,
                zookeeperConnect(),
                SESSION_TIMEOUT_S,
                security.zookeeperDigest(),
                datasets.toString().stripTrailing(),
                timeScale,
                timeOrigin,
                security.usersFile(),
                security.tokensFile(),
                dir.resolve("audit-spool").resolve(replica.id()),
                replica.port(),
                replica.adminPort());
    Path file = dir.resolve("controllers").resolve(replica.id() + ".yml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  Path agentConfig(PoolSite site) throws IOException {
    Pool pool = site.pool();
    String node = pool.domain();
    StringBuilder peers = new StringBuilder();
    for (PoolSite peer : pools.values()) {
      if (!peer.pool().id().equals(pool.id())) {
        peers.append(
            "  - {id: %s, endpoint: \"%s\", credentials: \"%s\", serve: false}\n"
                .formatted(peer.pool().id(), peer.pool().endpoint(), peer.pool().credentialsRef()));
      }
    }
    Path data = Files.createDirectories(dir.resolve("nodes").resolve(node));
    String yaml =
        """
        # Agent of soak node %1$s, serving pool %2$s.
        agentId: %1$s
        node: %1$s
        controllerUrl: "%3$s"
        heartbeatInterval: 1s
        censusInterval: 30s
        credentialsDir: %4$s
        controllerToken: "file:%5$s"
        patientIdKey: "file:%6$s"
        dataPaths: [%7$s]
        pools:
          - {id: %2$s, endpoint: "%8$s", credentials: "%9$s"}
        %10$s
        metrics: {loopback: true}
        server:
          type: simple
          applicationContextPath: /
          adminContextPath: /admin
          maxThreads: 16
          minThreads: 2
          connector: {type: http, port: 0, bindHost: 127.0.0.1}
          requestLog:
            appenders: []
        logging:
          level: WARN
          loggers:
            io.strata: INFO
            # Every copy the agent deletes, recorded before the DELETE, for the soak's verdict.
            io.strata.agent.deletions:
              level: DEBUG
              additive: false
              appenders:
                - {type: file, currentLogFilename: "%11$s", archive: false, logFormat: "%%m%%n"}
          appenders:
            - type: console
              logFormat: "%%-5p [%%d{ISO8601,UTC}] %%c: %%m%%n%%rEx"
        """
            .formatted(
                node,
                pool.id(),
                replicas.stream().map(Replica::url).collect(Collectors.joining(",")),
                dir,
                security.agentToken(node),
                security.dir().resolve("patient-id.key"),
                data,
                pool.endpoint(),
                pool.credentialsRef(),
                peers.toString().stripTrailing(),
                deletionRecords(pool.id()));
    Path file = dir.resolve("agents").resolve(node + ".yml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  /** Logging of the ZooKeeper members and pools: warnings and errors, to their output. */
  private static final String LOGBACK =
      """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%-5level [%d{ISO8601,UTC}] %logger: %msg%n</pattern></encoder>
        </appender>
        <root level="WARN"><appender-ref ref="OUT"/></root>
      </configuration>
      """;
}
