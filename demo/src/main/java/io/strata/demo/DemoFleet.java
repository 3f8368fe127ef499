package io.strata.demo;

import io.minio.MinioClient;
import io.strata.agent.AgentApplication;
import io.strata.agent.AgentConfiguration;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.StrataApplication;
import io.strata.runtime.DaemonScheduler;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.S3Clients;
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
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  /**
   * Where the demo listens; all on 127.0.0.1. A port of 0 means any free port (for agents and
   * pools: each its own); agents and pools otherwise take consecutive ports from the first.
   *
   * @param firstPool {@link #TOPOLOGY_POOL_PORTS} to serve the pools on the endpoints of the demo
   *     topology (19101..), 0 for free ports, or the first of consecutive ports; the topology file
   *     written for the run names the ports actually used
   */
  public record Ports(int controller, int zookeeper, int firstAgent, int firstPool) {
    /** Serve each pool on the port of its endpoint in the demo topology. */
    public static final int TOPOLOGY_POOL_PORTS = -1;

    public static final Ports DEFAULT = new Ports(8080, 21810, 8091, TOPOLOGY_POOL_PORTS);

    /**
     * Free ports for everything, so that a fleet can run beside other servers (integration tests).
     * Its configuration files are rewritten on every start, so start it in a fresh data directory:
     * a resumed ZooKeeper would hold the previous run's pool endpoints.
     */
    public static final Ports FREE = new Ports(0, 0, 0, 0);

    public Ports(int controller, int zookeeper, int firstAgent) {
      this(controller, zookeeper, firstAgent, TOPOLOGY_POOL_PORTS);
    }

    /** True when some port is chosen at start, so generated files cannot be kept for a resume. */
    boolean anyFree() {
      return controller == 0 || zookeeper == 0 || firstAgent == 0 || firstPool == 0;
    }

    int pool(int index, Pool pool) {
      if (firstPool == TOPOLOGY_POOL_PORTS) {
        return DemoFiles.portOf(pool);
      }
      return firstPool == 0 ? 0 : firstPool + index;
    }

    int agent(int index) {
      return firstAgent == 0 ? 0 : firstAgent + index;
    }
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /** The hospitals' clients to their landing pools; closed last. */
  private final S3Clients s3 = new S3Clients();

  private final Map<String, PoolCredentials> credentials = new LinkedHashMap<>();
  private final List<EmbeddedApp<AgentConfiguration>> agents = new ArrayList<>();
  private final DemoFiles files;
  private final Ports ports;
  private EmbeddedApp<ControllerConfiguration> controller;
  private DemoCredentials security;
  private ClusterMap map;
  private final List<DemoHospitals.Hospital> hospitals;
  private DemoDicom dicom;
  private Thread loader;
  private final java.util.concurrent.atomic.AtomicLong admitted =
      new java.util.concurrent.atomic.AtomicLong();

  private DemoFleet(Path dataDir, Ports ports, int hospitals) {
    this.files = new DemoFiles(dataDir, ports.anyFree());
    this.ports = ports;
    this.hospitals = DemoHospitals.hospitals(hospitals);
  }

  /** Starts the fleet, hospitals sending no new study; returns once every process serves. */
  public static DemoFleet start(Path dataDir, Ports ports, int studiesPerHospital)
      throws Exception {
    return start(dataDir, ports, studiesPerHospital, Duration.ZERO);
  }

  /**
   * Starts the fleet; returns once the controller and every agent serve.
   *
   * @param ingestEvery how often each hospital sends a new study of the day once its archive is
   *     written, as PACS do all day; zero for never
   */
  public static DemoFleet start(
      Path dataDir, Ports ports, int studiesPerHospital, Duration ingestEvery) throws Exception {
    return start(dataDir, ports, DemoHospitals.DEFAULT, studiesPerHospital, ingestEvery);
  }

  /**
   * Starts the fleet with {@code hospitals} hospitals; returns once the controller and every agent
   * serve.
   *
   * @param hospitals 1 to {@link DemoHospitals#MAX}
   * @param ingestEvery how often each hospital sends a new study of the day once its archive is
   *     written, as PACS do all day; zero for never
   * @throws IllegalArgumentException when {@code hospitals} is out of range; nothing was started
   */
  public static DemoFleet start(
      Path dataDir, Ports ports, int hospitals, int studiesPerHospital, Duration ingestEvery)
      throws Exception {
    DemoFleet fleet = new DemoFleet(dataDir, ports, hospitals);
    try {
      fleet.startAll(studiesPerHospital, ingestEvery);
      return fleet;
    } catch (Exception e) {
      fleet.close();
      throw e;
    }
  }

  /**
   * Checks that every fixed port the fleet will listen on is free, before anything starts: a taken
   * one would otherwise end the process from inside the embedded ZooKeeper, or leave half a fleet.
   *
   * @throws PortInUseException naming the first port in use and what it was for
   */
  private void requireFreePorts(ClusterMap demo) {
    Map<Integer, String> wanted = new LinkedHashMap<>();
    if (ports.controller() != 0) {
      wanted.put(ports.controller(), "the console and API (--port)");
      wanted.put(ports.controller() + 1, "the controller's admin port (--port + 1)");
    }
    if (ports.zookeeper() != 0) {
      wanted.put(ports.zookeeper(), "the embedded ZooKeeper");
    }
    int index = 0;
    for (Pool pool : demo.pools().values()) {
      int agent = ports.agent(index);
      int s3 = ports.pool(index++, pool);
      if (s3 != 0) {
        wanted.put(s3, "pool " + pool.id() + " (its endpoint in topology.yaml)");
      }
      if (agent != 0) {
        wanted.put(agent, "the agent of node " + pool.domain());
      }
    }
    for (Map.Entry<Integer, String> port : wanted.entrySet()) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port.getKey()));
      } catch (IOException e) {
        boolean controllerPort =
            port.getKey() == ports.controller() || port.getKey() == ports.controller() + 1;
        throw new PortInUseException(
            "port "
                + port.getKey()
                + " on 127.0.0.1, for "
                + port.getValue()
                + ", is in use: "
                + (controllerPort
                    ? "start the demo with another --port"
                    : "is another demo running? Stop it first (the ZooKeeper, pool and agent"
                        + " ports are fixed)"));
      }
    }
  }

  /** A port the demo needs is taken; nothing was started. */
  public static final class PortInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  private void startAll(int studiesPerHospital, Duration ingestEvery) throws Exception {
    Path dataDir = files.dataDir();
    Files.createDirectories(dataDir);
    String topologyText = files.topologyText(DemoFiles.plannable(DemoTopology.text()));
    ClusterMap demo = TopologyFile.parse("topology.yaml", topologyText);
    requireFreePorts(demo);
    // Written once into the data directory; a resumed demo reuses the files.
    dicom = DemoDicom.load(dataDir.resolve("dicom"));

    // InstanceSpec takes -1, not 0, for "any free port".
    TestingServer zookeeper =
        new TestingServer(
            new InstanceSpec(
                dataDir.resolve("zookeeper").toFile(),
                ports.zookeeper() == 0 ? -1 : ports.zookeeper(),
                -1,
                -1,
                false,
                -1),
            true);
    started.push(zookeeper);

    int index = 0;
    for (Pool pool : demo.pools().values()) {
      PoolCredentials keys = files.credentials(pool);
      credentials.put(pool.id(), keys);
      EmbeddedS3Pool s3 =
          EmbeddedS3Pool.start(
              dataDir.resolve("pools").resolve(pool.id()), ports.pool(index++, pool), keys);
      started.push(s3);
      topologyText =
          topologyText.replace(
              "\"" + pool.endpoint() + "\"", "\"" + s3.endpoint().toString() + "\"");
    }
    Path topology = files.topologyFile(topologyText);
    map = TopologyFile.parse(topology.toString(), Files.readString(topology));

    security =
        DemoCredentials.ensure(
            dataDir.resolve("security"), map.pools().values().stream().map(Pool::domain).toList());
    Path controllerYml =
        files.controllerConfig(ports.controller(), zookeeper.getPort(), hospitals, security);
    controller = EmbeddedApp.start(new StrataApplication(), controllerYml);
    started.push(controller);

    index = 0;
    for (Pool pool : map.pools().values()) {
      Path agentYml =
          files.agentConfig(pool.domain(), pool, map, ports.agent(index++), controller.port());
      EmbeddedApp<AgentConfiguration> agent = EmbeddedApp.start(new AgentApplication(), agentYml);
      agents.add(agent);
      started.push(agent);
    }

    Path loaded = dataDir.resolve("hospitals-loaded");
    List<DemoHospitals.Hospital> unloaded = unloaded(loaded);
    if (!unloaded.isEmpty()) {
      loader =
          new Thread(() -> loadHospitals(unloaded, studiesPerHospital, loaded), "demo-hospitals");
      loader.setDaemon(true);
      loader.start();
    }
    if (!ingestEvery.isZero()) {
      ScheduledExecutorService ingest = DaemonScheduler.named("demo-ingest");
      started.push(ingest::shutdownNow);
      ingest.scheduleWithFixedDelay(
          this::admitStudies,
          ingestEvery.toMillis(),
          ingestEvery.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Each hospital sends one new study of today, once its archive is written. */
  private void admitStudies() {
    if (loader != null && loader.isAlive()) {
      return;
    }
    long seq = admitted.incrementAndGet();
    for (DemoHospitals.Hospital h : hospitals) {
      Pool pool = map.pool(h.landingPool()).orElseThrow();
      try {
        DemoHospitals.admit(h, client(pool), dicom, LocalDate.now(), seq);
      } catch (Exception e) {
        LOG.warn(
            "hospital {} could not send a study to pool {}: {}",
            h.dataset(),
            pool.id(),
            e.toString());
      }
    }
  }

  /** New studies the hospitals have sent each, while the demo ran. */
  public long studiesAdmitted() {
    return admitted.get();
  }

  /** A client of the pool, with its credentials; closed with the fleet. */
  public MinioClient client(Pool pool) {
    return s3.client(pool.endpoint(), credentials.get(pool.id()));
  }

  /** The hospitals of this run. */
  public List<DemoHospitals.Hospital> hospitals() {
    return hospitals;
  }

  /** The DICOM files the hospitals send, written once under the data directory. */
  public DemoDicom dicom() {
    return dicom;
  }

  /**
   * The hospitals whose archive an earlier run has not written: the marker lists one hospital a
   * line; a marker of an older demo names none and stands for the default three.
   */
  private List<DemoHospitals.Hospital> unloaded(Path marker) throws IOException {
    if (!Files.exists(marker)) {
      return hospitals;
    }
    List<String> lines = Files.readAllLines(marker);
    boolean old = lines.stream().noneMatch(l -> l.matches("h\\d\\d"));
    return hospitals.stream()
        .filter(h -> !lines.contains(h.id()))
        .filter(h -> !old || !DemoHospitals.HOSPITALS.contains(h))
        .toList();
  }

  /**
   * Writes each hospital's archive; one that fails is logged and left out of the marker, so the
   * next start writes it again, and the others are still written.
   */
  private void loadHospitals(List<DemoHospitals.Hospital> unloaded, int studies, Path marker) {
    for (DemoHospitals.Hospital h : unloaded) {
      Pool pool = map.pool(h.landingPool()).orElseThrow();
      try {
        DemoHospitals.load(h, client(pool), dicom, studies, LocalDate.now());
        LOG.info("hospital {} archive and records written to pool {}", h.id(), pool.id());
        Files.writeString(
            marker,
            h.id() + "\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (Exception e) {
        LOG.error(
            "could not write the archive of hospital {} to pool {}: {}",
            h.id(),
            pool.id(),
            e.toString());
      }
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
    s3.close();
    if (first != null) {
      throw first;
    }
  }
}
