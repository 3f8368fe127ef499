package io.strata.demo;

import io.strata.policy.PolicyLibrary;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The files of the demo under its data directory: generated credentials, the topology, and the
 * controller's and agents' configuration. Each is written once and kept, so a second run resumes
 * with the same keys and settings; a fleet on free ports rewrites the configuration files on every
 * start, since the ports they name change.
 */
final class DemoFiles {
  private final Path dataDir;
  private final boolean rewrite;

  /**
   * @param rewrite write the files on every start (ports chosen at start), instead of once
   */
  DemoFiles(Path dataDir, boolean rewrite) {
    this.dataDir = dataDir.toAbsolutePath();
    this.rewrite = rewrite;
  }

  Path dataDir() {
    return dataDir;
  }

  /** The pool's credentials, generated on the first run (owner-only file). */
  PoolCredentials credentials(Pool pool) throws IOException {
    String ref = pool.credentialsRef().substring("file:".length());
    Path file = dataDir.resolve(ref);
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      SecureRandom random = new SecureRandom();
      byte[] access = new byte[10];
      byte[] secret = new byte[24];
      random.nextBytes(access);
      random.nextBytes(secret);
      String text =
          "# S3 credentials of demo pool "
              + pool.id()
              + "\naccessKey=STRATA"
              + HexFormat.of().withUpperCase().formatHex(access)
              + "\nsecretKey="
              + HexFormat.of().formatHex(secret)
              + "\n";
      Files.writeString(file, text);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the file keeps the default permissions.
      }
    }
    return PoolCredentials.resolve(pool.credentialsRef(), dataDir, Map.of());
  }

  /** The topology a resumed demo wrote earlier (the user may have edited it), else {@code text}. */
  /**
   * The demo topology with its pools declared a thousand times larger (TiB for GiB), to the same
   * proportions: the hospitals write a few GB a day, and the capacity planner counts days of the
   * wall clock, so pools of a few GiB would read "full in 0.1 days" and TiB pools read months to
   * years, as a planner would see them. Placement weighs pools by their share, which is unchanged;
   * the embedded pools hold what is written whatever is declared.
   */
  static String plannable(String topology) {
    return topology.replaceAll("capacity: (\\d+)GiB", "capacity: $1TiB");
  }

  String topologyText(String text) throws IOException {
    Path file = dataDir.resolve("topology.yaml");
    return !rewrite && Files.exists(file) ? Files.readString(file) : text;
  }

  Path topologyFile(String text) throws IOException {
    return write("topology.yaml", text);
  }

  Path controllerConfig(
      int port, int zkPort, List<DemoHospitals.Hospital> hospitals, DemoCredentials security)
      throws IOException {
    StringBuilder datasets = new StringBuilder();
    for (DemoHospitals.Hospital h : hospitals) {
      for (DemoHospitals.Dataset d : h.datasets()) {
        datasets
            .append("  - name: ")
            .append(d.name())
            .append("\n    description: \"")
            .append(d.description())
            .append("\"\n    policy: ")
            .append(d.policy())
            .append("\n    landingPools: [")
            .append(d.landingPool())
            .append("]\n");
      }
    }
    // The hospitals' policies, as files the controller reads again when they are edited.
    StringBuilder policyFiles = new StringBuilder();
    for (String name : List.of("imaging-archive", "inpatient-records", "outpatient-records")) {
      Path policy =
          write("policies/" + name + ".yaml", PolicyLibrary.source(name).orElseThrow().text());
      policyFiles.append(policyFiles.isEmpty() ? "" : ", ").append('"').append(policy).append('"');
    }
    String yaml =
        """
        # Controller of the demo: embedded ZooKeeper, the demo topology, loopback only.
        %s
        replicaId: demo-controller-1
        topologyFile: %s
        credentialsDir: %s
        agentLease: 15s
        site: changzhou-zhonglou
        zookeeper:
          connectString: 127.0.0.1:%d
          sessionTimeout: 10s
          digest: "file:%s"
        datasets:
        %s
        reconcile:
          interval: 2s
          rescanInterval: %s
          grace: 60s
          taskLease: 60s
          # Objects age about a day per second (27.8 hours), so tier transitions happen while
          # you watch; not a whole day, so that rounds fall at every time of day and meet the
          # policies' night-time movement windows.
          timeScale: 100000
          # The balancer measures each tier (strata_tier_fill_ratio_max_mean) and evens it out
          # every half minute rather than every ten.
          balanceInterval: 30s
          # Edit it while the demo runs: the controller takes it within two seconds.
          policyFiles: [%s]
        %s
        # Loopback only: Prometheus on this host scrapes /metrics without a token.
        security:
          usersFile: %s
          tokensFile: %s
          metrics: {public: true}
        audit:
          spoolDir: %s
        # The capacity history samples the fleet every 10 s (in production, hourly), so that
        # forecasts have a trend within a minute.
        capacity:
          sampleInterval: 10s
          # What the purchase plan (./strata ctl capacity plan) can buy, one model per tier.
          rackModels:
            - {name: nvme-2u, tier: hot-nvme, usable: 2TiB, powerKw: 1.2, cost: 180000, leadTime: 45d}
            - {name: hdd-4u, tier: warm-hdd, usable: 4TiB, powerKw: 1.5, cost: 90000, leadTime: 60d}
            - {name: archive-4u, tier: cold-archive, usable: 8TiB, powerKw: 1.0, cost: 60000, leadTime: 90d}
        server:
          applicationConnectors:
            - {type: http, port: %d, bindHost: 127.0.0.1}
          adminConnectors:
            - {type: http, port: %d, bindHost: 127.0.0.1}
          requestLog:
            appenders: []
        logging:
          level: WARN
          loggers:
            io.strata: INFO
          # A reconcile round's lines carry its id (the MDC's round).
          appenders:
            - type: console
              logFormat: "%%-5p [%%d{ISO8601,UTC}] %%replace([%%X{round}] ){'\\\\[\\\\] ', ''}%%c: %%m%%n%%rEx"
        """
            .formatted(
                hospitalsMarker(hospitals.size()),
                dataDir.resolve("topology.yaml"),
                dataDir,
                zkPort,
                security.zookeeperDigest(),
                datasets.toString().stripTrailing(),
                rescanInterval(hospitals.size()),
                policyFiles,
                tasksPerAgent(hospitals.size()),
                security.usersFile(),
                security.tokensFile(),
                dataDir.resolve("audit-spool"),
                port,
                port == 0 ? 0 : port + 1);
    return writeUnlessCurrent("controller.yml", yaml, hospitalsMarker(hospitals.size()));
  }

  /**
   * How often every dataset is scanned on every pool: each of the 8 pools holds a bucket of each
   * hospital's three datasets, so 37 hospitals make 888 scans a sweep; every 30 s for the default
   * three hospitals, 30 s more for every twenty beyond (90 s for 37), so that a sweep is done
   * before the next.
   */
  static String rescanInterval(int hospitals) {
    return 30 * (1 + (Math.max(0, hospitals - DemoHospitals.DEFAULT) + 19) / 20) + "s";
  }

  /**
   * Tasks an agent holds at once: the default (4) for the default three hospitals; beyond, 32, so
   * that the agents (one heartbeat in 5 s each) take a sweep's scans of many small datasets as fast
   * as they finish them, and new studies are found within a sweep.
   */
  static String tasksPerAgent(int hospitals) {
    return hospitals <= DemoHospitals.DEFAULT
        ? ""
        : "  # Many datasets: agents take more of a sweep's small scans at each heartbeat.\n"
            + "  tasksPerAgent: 32";
  }

  /**
   * The line of the controller's configuration that names the number of hospitals it was written
   * for: a resumed demo started with another {@code --hospitals} writes it again.
   */
  private static String hospitalsMarker(int hospitals) {
    return "# Datasets of " + hospitals + " hospitals (--hospitals " + hospitals + ").";
  }

  Path agentConfig(String node, Pool pool, ClusterMap map, int port, int controllerPort)
      throws IOException {
    StringBuilder peers = new StringBuilder();
    for (Pool peer : map.pools().values()) {
      if (!peer.id().equals(pool.id())) {
        peers.append(
            "  - {id: %s, endpoint: \"%s\", credentials: \"%s\", serve: false}\n"
                .formatted(peer.id(), peer.endpoint(), peer.credentialsRef()));
      }
    }
    String yaml =
        """
        # Agent of demo node %1$s, serving pool %2$s.
        agentId: %1$s
        node: %1$s
        controllerUrl: http://127.0.0.1:%3$d
        heartbeatInterval: 5s
        censusInterval: 10s
        credentialsDir: %4$s
        controllerToken: "file:security/agents/%1$s.token"
        patientIdKey: "file:security/patient-id.key"
        dataPaths: [%5$s]
        pools:
          - {id: %2$s, endpoint: "%6$s", credentials: "%7$s"}
        %9$s
        # Everything binds to loopback: a Prometheus on this host scrapes without a token.
        metrics: {loopback: true}
        server:
          type: simple
          applicationContextPath: /
          adminContextPath: /admin
          maxThreads: 32
          minThreads: 4
          connector: {type: http, port: %8$d, bindHost: 127.0.0.1}
          requestLog:
            appenders: []
        # Logging is one per process: the agents log as the controller does.
        logging:
          level: WARN
          loggers:
            io.strata: INFO
          appenders:
            - type: console
              logFormat: "%%-5p [%%d{ISO8601,UTC}] %%replace([%%X{round}] ){'\\\\[\\\\] ', ''}%%c: %%m%%n%%rEx"
        """
            .formatted(
                node,
                pool.id(),
                controllerPort,
                dataDir,
                dataDir.resolve("pools").resolve(pool.id()),
                pool.endpoint(),
                pool.credentialsRef(),
                port,
                peers.toString().stripTrailing());
    return writeUnlessCurrent("agents/" + node + ".yml", yaml, "patientIdKey:");
  }

  /**
   * As {@link #write}, but also rewrites a file of an older demo that lacks {@code marker} (a
   * setting this version depends on).
   */
  private Path writeUnlessCurrent(String name, String text, String marker) throws IOException {
    Path file = dataDir.resolve(name);
    if (Files.exists(file) && !Files.readString(file).contains(marker)) {
      Files.delete(file);
    }
    return write(name, text);
  }

  private Path write(String name, String text) throws IOException {
    Path file = dataDir.resolve(name);
    if (rewrite || !Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    }
    return file;
  }

  static int portOf(Pool pool) {
    return java.net.URI.create(pool.endpoint()).getPort();
  }
}
