package io.strata.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.JettyManaged;
import io.strata.bench.ZooKeeperTransactions;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.StrataApplication;
import io.strata.controller.reconcile.Reconciler;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.demo.EmbeddedApp;
import io.strata.fleet.reconcile.Shard;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * The real controller under test: an embedded ZooKeeper on loopback, the dataset's shard map laid
 * down in it, and {@link StrataApplication} started from the generated {@code controller.yml}. The
 * simulator reads what the controller shows through its HTTP API, and, for figures the API does not
 * give (the map a round placed by, the copies it counts), the controller's own objects, which it
 * only reads.
 *
 * <p>Must be closed.
 */
final class SimController implements AutoCloseable {
  private static final String MARKER = "/fleet-sim-marker";

  private final TestingServer zookeeper;
  private final CuratorFramework observer;
  private EmbeddedApp<ControllerConfiguration> app;
  private final HttpClient http =
      HttpClient.newBuilder()
          .executor(
              java.util.concurrent.Executors.newFixedThreadPool(1, AgentDriver.named("sim-api")))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final ObjectMapper json = Jackson.newObjectMapper();
  private final Map<String, String> tokens;

  SimController(Path dir, Map<String, String> tokens) throws Exception {
    this.tokens = tokens;
    File data = dir.resolve("zookeeper").toFile();
    zookeeper =
        new TestingServer(
            new InstanceSpec(
                data,
                -1,
                -1,
                -1,
                true,
                -1,
                -1,
                -1,
                Map.of("clientPortAddress", "127.0.0.1"),
                "127.0.0.1"),
            true);
    // The controller's default namespace: the shard map laid down here is the one it reads.
    observer =
        CuratorFrameworkFactory.builder()
            .connectString(zookeeper.getConnectString())
            .namespace("strata")
            .retryPolicy(new ExponentialBackoffRetry(200, 5))
            .build();
    observer.start();
    observer.create().creatingParentContainersIfNeeded().forPath(MARKER);
  }

  String connectString() {
    return zookeeper.getConnectString();
  }

  /**
   * Lays down the dataset's shard map: {@code count} shards, shard {@code i} holding the keys that
   * start with {@link #shardPrefix}{@code (i)}, through the controller's own {@link ShardStore}, as
   * splits leave it. Returns the shards.
   */
  List<Shard> layShards(String dataset, int count) throws Exception {
    ShardStore store = new ShardStore(observer, json);
    store.start();
    try {
      List<Shard> shards = store.shards(dataset);
      int batch = 2000;
      for (int from = 1; from < count; from += batch) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < Math.min(count, from + batch); i++) {
          keys.add(shardPrefix(i));
        }
        shards = store.split(shards.get(shards.size() - 1), keys);
      }
      return shards;
    } finally {
      store.stop();
    }
  }

  /** The key of a shard's object {@code o}: {@code obj-%04d} under its {@link #shardPrefix}. */
  static String objectKey(String shardPrefix, int o) {
    String digits = Integer.toString(o);
    return shardPrefix + "obj-" + "0000".substring(Math.min(4, digits.length())) + digits;
  }

  static String shardPrefix(int shard) {
    String digits = Integer.toString(shard); // As %07d, without a Formatter per key.
    return "s" + "0000000".substring(Math.min(7, digits.length())) + digits + "/";
  }

  void start(Path config) throws Exception {
    app = EmbeddedApp.start(new StrataApplication(), config);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + app.port() + "/");
  }

  /** The controller's map as its rounds place by. */
  ClusterMapStore maps() {
    return managed(ClusterMapStore.class);
  }

  Reconciler reconciler() {
    return managed(Reconciler.class);
  }

  private <T> T managed(Class<T> type) {
    return app.environment().lifecycle().getManagedObjects().stream()
        .filter(JettyManaged.class::isInstance)
        .map(m -> ((JettyManaged) m).getManaged())
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst()
        .orElseThrow();
  }

  /** ZooKeeper's transaction counter ({@link ZooKeeperTransactions#read}). */
  long zxid() throws Exception {
    return ZooKeeperTransactions.read(observer, MARKER);
  }

  JsonNode get(String role, String path) throws Exception {
    return send(role, HttpRequest.newBuilder(base().resolve(path)).GET());
  }

  JsonNode post(String role, String path, String body) throws Exception {
    return send(
        role,
        HttpRequest.newBuilder(base().resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private JsonNode send(String role, HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        http.send(
            request
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + tokens.get(role))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
  }

  @Override
  public void close() throws Exception {
    if (app != null) {
      app.close();
    }
    observer.close();
    zookeeper.close();
  }
}
