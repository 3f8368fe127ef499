package io.strata.bench.soak;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every process of the soak: a three-member ZooKeeper ensemble ({@code QuorumPeerMain}), one
 * S3Proxy process per pool (and the TCP proxy in front of one), three controller replicas and one
 * agent per pool, each its own JVM on loopback with the small heap {@link #JVM} gives it. Each
 * process is known by name and pid; closing ends every one of them by its pid, also from a shutdown
 * hook when the soak is interrupted.
 *
 * <p>Must be closed.
 */
final class SoakFleet implements AutoCloseable {
  /** JVM settings common to every process: a small heap fits about twenty JVMs on two cores. */
  private static final List<String> COMMON =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:-UsePerfData");

  /** Heap per kind of process, in MiB (README: "The chaos soak"). */
  static final Map<String, Integer> JVM =
      Map.of("zookeeper", 128, "pool", 160, "controller", 256, "agent", 192);

  final SoakFiles files;
  final Map<Integer, ChildProcess> zookeeper = new LinkedHashMap<>();
  final Map<String, ChildProcess> pools = new LinkedHashMap<>();
  final Map<String, ChildProcess> controllers = new LinkedHashMap<>();
  final Map<String, ChildProcess> agents = new LinkedHashMap<>();
  private final List<ChildProcess> all = new ArrayList<>();
  private final Thread hook;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final ObjectMapper json = new ObjectMapper();
  TcpProxy proxy;

  SoakFleet(SoakFiles files) {
    this.files = files;
    hook = new Thread(this::closeAll, "soak-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private static List<String> jvm(String kind, String... more) {
    List<String> out = new ArrayList<>(COMMON);
    out.add("-Xmx" + JVM.get(kind) + "m");
    out.addAll(List.of(more));
    return out;
  }

  private ChildProcess child(String name, List<String> jvm, String main, List<String> args) {
    ChildProcess p = new ChildProcess(name, jvm, main, args, files.logs().resolve(name + ".log"));
    synchronized (all) {
      all.add(p);
    }
    return p;
  }

  /** Starts everything and returns once the ensemble, pools, a leader and every agent serve. */
  void start(Duration timeout) throws Exception {
    String logback = "-Dlogback.configurationFile=" + files.dir.resolve("logback.xml");
    for (SoakFiles.Member m : files.members) {
      ChildProcess zk =
          child(
              "zk-" + m.id(),
              jvm("zookeeper", logback, "-XX:ActiveProcessorCount=1"),
              "org.apache.zookeeper.server.quorum.QuorumPeerMain",
              List.of(files.zookeeperConfig(m).toString()));
      zookeeper.put(m.id(), zk);
      zk.start();
    }
    for (SoakFiles.PoolSite site : files.pools.values()) {
      ChildProcess pool =
          child(
              "pool-" + site.pool().id(),
              jvm("pool", logback, "-XX:ActiveProcessorCount=1"),
              PoolMain.class.getName(),
              List.of(
                  site.dataDir().toString(),
                  Integer.toString(site.servePort()),
                  site.credentials().toString()));
      pools.put(site.pool().id(), pool);
      pool.start();
      if (site.proxied()) {
        proxy = new TcpProxy(site.publicPort(), site.servePort(), site.servePort());
      }
    }
    await("a ZooKeeper leader")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> zookeeperLeader().isPresent());
    for (SoakFiles.PoolSite site : files.pools.values()) {
      await("pool " + site.pool().id() + " serving")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(300))
          .until(() -> listening(site.servePort()));
    }
    for (SoakFiles.Replica r : files.replicas) {
      ChildProcess c =
          child(
              r.id(),
              jvm("controller"),
              "io.strata.controller.StrataApplication",
              List.of("server", files.controllerConfig(r).toString()));
      controllers.put(r.id(), c);
      c.start();
    }
    for (SoakFiles.PoolSite site : files.pools.values()) {
      ChildProcess agent =
          child(
              "agent-" + site.pool().domain(),
              jvm("agent"),
              "io.strata.agent.AgentApplication",
              List.of("server", files.agentConfig(site).toString()));
      agents.put(site.pool().id(), agent);
      agent.start();
    }
    await("a controller leading")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> leader().isPresent());
  }

  /** Whether something accepts connections on the port of 127.0.0.1. */
  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The member that leads the ensemble now, as its {@code srvr} answer says. */
  Optional<SoakFiles.Member> zookeeperLeader() {
    for (SoakFiles.Member m : files.members) {
      if ("leader".equals(zookeeperMode(m))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The member's mode ({@code leader}, {@code follower}), or null when it does not answer. */
  String zookeeperMode(SoakFiles.Member m) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), m.clientPort()), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("Mode: ")) {
          return line.substring("Mode: ".length()).trim();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** A GET of the replica's API with the soak's viewer token; empty when it does not answer. */
  Optional<JsonNode> get(SoakFiles.Replica replica, String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(replica.url() + "/api" + path))
                  .timeout(Duration.ofSeconds(5))
                  .header("Authorization", "Bearer " + files.viewerToken)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? Optional.of(json.readTree(response.body()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Logs in as the admin on the replica (an audited call), so that every replica's audit chain
   * grows during the run. Returns the status, or -1 when the replica does not answer.
   */
  int login(SoakFiles.Replica replica) {
    try {
      String password = java.nio.file.Files.readString(files.security.adminPasswordFile()).trim();
      String body = json.writeValueAsString(Map.of("user", "admin", "password", password));
      return http.send(
              HttpRequest.newBuilder(URI.create(replica.url() + "/api/v1/session"))
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The replica that says it leads, with its epoch; empty when none answers so. */
  Optional<Leader> leader() {
    for (SoakFiles.Replica r : files.replicas) {
      ChildProcess process = controllers.get(r.id());
      if (process == null || !process.isAlive()) {
        continue;
      }
      Optional<JsonNode> view = get(r, "/v1/leader");
      if (view.isPresent() && view.get().path("leader").asBoolean()) {
        return Optional.of(new Leader(r, view.get().path("epoch").asLong()));
      }
    }
    return Optional.empty();
  }

  /** The replica leading, and its fencing epoch. */
  record Leader(SoakFiles.Replica replica, long epoch) {}

  SoakFiles.Replica replica(String id) {
    return files.replicas.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  /** The pids of every process started, by name, for the log. */
  Map<String, Long> pids() {
    Map<String, Long> out = new LinkedHashMap<>();
    synchronized (all) {
      for (ChildProcess p : all) {
        out.put(p.name(), p.pid());
      }
    }
    return out;
  }

  /** Ends every process by its pid; safe to call more than once. */
  private void closeAll() {
    List<ChildProcess> copy;
    synchronized (all) {
      copy = new ArrayList<>(all);
    }
    for (int i = copy.size() - 1; i >= 0; i--) {
      try {
        copy.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // Keep ending the others.
      }
    }
    if (proxy != null) {
      try {
        proxy.close();
      } catch (IOException e) {
        // Its sockets close with this process anyway.
      }
    }
  }

  @Override
  public void close() {
    closeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs (or ran) closeAll itself.
    }
  }
}
