package io.strata.controller.demo;

import io.minio.MinioClient;
import io.strata.agent.AgentApplication;
import io.strata.agent.AgentConfiguration;
import io.strata.agent.pool.PoolClients;
import io.strata.agent.pool.PoolCredentials;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.StrataApplication;
import io.strata.controller.security.DemoCredentials;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.Pool;
import io.strata.topology.TopologyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process: an embedded ZooKeeper, one S3Proxy pool per pool of the demo
 * topology, the controller, one agent per storage node, and the synthetic hospitals' archives.
 * Everything persists under the data directory, so a second start resumes.
 *
 * <p>Must be closed; closing stops everything in reverse order of start.
 */
public final class DemoFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoFleet.class);

  /** Where the demo listens; all on 127.0.0.1. */
  public record Ports(int controller, int zookeeper, int firstAgent) {
    public static final Ports DEFAULT = new Ports(8080, 21810, 8091);
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, PoolCredentials> credentials = new LinkedHashMap<>();
  private final List<EmbeddedApp<AgentConfiguration>> agents = new ArrayList<>();
  private final DemoFiles files;
  private final Ports ports;
  private EmbeddedApp<ControllerConfiguration> controller;
  private DemoCredentials security;
  private ClusterMap map;
  private Thread loader;

  private DemoFleet(Path dataDir, Ports ports) {
    this.files = new DemoFiles(dataDir);
    this.ports = ports;
  }

  /** Starts the fleet; returns once the controller and every agent serve. */
  public static DemoFleet start(Path dataDir, Ports ports, int studiesPerHospital)
      throws Exception {
    DemoFleet fleet = new DemoFleet(dataDir, ports);
    try {
      fleet.startAll(studiesPerHospital);
      return fleet;
    } catch (Exception e) {
      fleet.close();
      throw e;
    }
  }

  private void startAll(int studiesPerHospital) throws Exception {
    Path dataDir = files.dataDir();
    Files.createDirectories(dataDir);
    Path topology = files.topologyFile(DemoTopology.text());
    map = TopologyFile.parse(topology.toString(), Files.readString(topology));

    TestingServer zookeeper =
        new TestingServer(
            new InstanceSpec(
                dataDir.resolve("zookeeper").toFile(), ports.zookeeper(), -1, -1, false, -1),
            true);
    started.push(zookeeper);

    for (Pool pool : map.pools().values()) {
      PoolCredentials keys = files.credentials(pool);
      credentials.put(pool.id(), keys);
      started.push(
          EmbeddedS3Pool.start(
              dataDir.resolve("pools").resolve(pool.id()), DemoFiles.portOf(map, pool), keys));
    }

    security =
        DemoCredentials.ensure(
            dataDir.resolve("security"), map.pools().values().stream().map(Pool::domain).toList());
    Path controllerYml =
        files.controllerConfig(
            ports.controller(), ports.zookeeper(), DemoHospitals.HOSPITALS, security);
    controller = EmbeddedApp.start(new StrataApplication(), controllerYml);
    started.push(controller);

    int agentPort = ports.firstAgent();
    for (Pool pool : map.pools().values()) {
      Path agentYml = files.agentConfig(pool.domain(), pool, agentPort++, ports.controller());
      EmbeddedApp<AgentConfiguration> agent = EmbeddedApp.start(new AgentApplication(), agentYml);
      agents.add(agent);
      started.push(agent);
    }

    Path loaded = dataDir.resolve("hospitals-loaded");
    if (!Files.exists(loaded)) {
      loader = new Thread(() -> loadHospitals(studiesPerHospital, loaded), "demo-hospitals");
      loader.setDaemon(true);
      loader.start();
    }
  }

  private void loadHospitals(int studies, Path marker) {
    try {
      for (DemoHospitals.Hospital h : DemoHospitals.HOSPITALS) {
        Pool pool = map.pool(h.landingPool()).orElseThrow();
        MinioClient client = PoolClients.client(pool.endpoint(), credentials.get(pool.id()));
        DemoHospitals.load(h, client, studies, LocalDate.now());
        LOG.info("hospital archive {} written to pool {}", h.dataset(), pool.id());
      }
      Files.writeString(marker, "synthetic hospital archives written\n");
    } catch (Exception e) {
      LOG.error("could not write the synthetic hospital archives: {}", e.toString());
    }
  }

  /** Waits until the synthetic archives are written (or were, on an earlier run). */
  public void awaitHospitals() throws InterruptedException {
    if (loader != null) {
      loader.join();
    }
  }

  public int controllerPort() {
    return controller.port();
  }

  /** Agents' metrics ports, in pool order. */
  public List<Integer> agentPorts() {
    return agents.stream().map(EmbeddedApp::port).toList();
  }

  /** The generated users and tokens; the admin password only on the run that made it. */
  public DemoCredentials security() {
    return security;
  }

  public ClusterMap map() {
    return map;
  }

  public Path dataDir() {
    return files.dataDir();
  }

  /** The agent apps, in pool order; closing one simulates a dead node. */
  public List<EmbeddedApp<AgentConfiguration>> agents() {
    return List.copyOf(agents);
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
