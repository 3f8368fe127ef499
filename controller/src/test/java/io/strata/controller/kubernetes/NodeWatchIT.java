package io.strata.controller.kubernetes;

import static io.strata.runtime.TestTimeouts.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.health.HealthCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.runtime.TestClock;
import io.strata.topology.ClusterMap;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nodes' labels and conditions, read through Fabric8 informers from the Kubernetes mock server
 * in CRUD mode, applied to a cluster map kept in a real (embedded) ZooKeeper.
 */
class NodeWatchIT {
  private static final java.time.Duration GRACE = java.time.Duration.ofSeconds(60);

  /** Two pools, each on its node, in rooms the labels give; both rooms are needed. */
  private static final String POLICY =
      """
      policy: two-rooms
      datasets: ["d"]
      recordClass: network-log
      phases:
        0d: 2 × hot spread room
      retention:
        minimum: 1y
      expiry: never
      """;

  private final TestClock clock = new TestClock(Instant.parse("2026-12-06T06:00:00Z"));
  private final AtomicReference<PolicySet> policies =
      new AtomicReference<>(PolicySet.of(List.of()));
  private TestZooKeeper zookeeper;
  private MockKubernetes kubernetes;
  private KubernetesClient admin;
  private ClusterMapStore maps;
  private NodeWatch watch;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    kubernetes = new MockKubernetes();
    admin = kubernetes.client();
    maps = new ClusterMapStore(zookeeper.client(), NodeTopologyTest.SEED);
    maps.start();
  }

  private void watch(KubernetesClient client) {
    watch = new NodeWatch(client, KubernetesFleet.config(), maps, policies::get, () -> true, clock);
    watch.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (watch != null) {
      watch.stop();
    }
    maps.stop();
    kubernetes.close();
    zookeeper.close();
  }

  private String parentOf(String domain) {
    return maps.current().domain(domain).map(d -> d.parent()).orElse(null);
  }

  private HealthCheck.Result health() {
    return new KubernetesHealthCheck(watch, null).execute();
  }

  @Test
  void labelledNodesBecomeTheTreeAndALabelChangeIsANewEpoch() {
    admin.resource(KubernetesFleet.node("n1", "room-1", "r01")).create();
    admin.resource(KubernetesFleet.node("n2", "room-2", "r02")).create();
    admin
        .resource(KubernetesFleet.node("other", "room-9", "r99"))
        .create(); // No storage-node label: ignored.
    admin
        .nodes()
        .withName("other")
        .edit(
            n -> {
              n.getMetadata().getLabels().remove("strata.io/storage-node");
              return n;
            });
    watch(kubernetes.controllerClient());

    await("the tree from the labels")
        .atMost(TIMEOUT)
        .until(() -> "r01".equals(parentOf("n1")) && "r02".equals(parentOf("n2")));
    long epoch = maps.current().epoch();
    assertThat(parentOf("r02")).isEqualTo("room-2");
    assertThat(maps.current().domains()).doesNotContainKeys("other", "r99");
    assertThat(health().isHealthy()).as(health().getMessage()).isTrue();

    admin
        .nodes()
        .withName("n2")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("strata.io/rack", "r03");
              return n;
            });

    await("the relabelled node's new rack")
        .atMost(TIMEOUT)
        .until(() -> "r03".equals(parentOf("n2")));
    assertThat(maps.current().epoch()).isEqualTo(epoch + 1);
    assertThat(maps.current().domains()).doesNotContainKey("r02");
  }

  @Test
  void aBadLabelIsReportedWithTheNodesNameAndTheMapStays() {
    admin.resource(KubernetesFleet.node("n1", "room-1", "r01")).create();
    admin.resource(KubernetesFleet.node("n2", "room-2", "r02")).create();
    watch(kubernetes.controllerClient());
    await("the tree from the labels").atMost(TIMEOUT).until(() -> "r02".equals(parentOf("n2")));
    ClusterMap before = maps.current();

    // A rack in two rooms: n2 says r01 is in room-2, n1 (and the map) that it is in room-1.
    admin
        .nodes()
        .withName("n2")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("strata.io/rack", "r01");
              return n;
            });

    await("the rack in two rooms reported")
        .atMost(TIMEOUT)
        .until(() -> !watch.status().problems().isEmpty());
    assertThat(watch.status().problems())
        .singleElement()
        .asString()
        .contains("node 'n2'", "rack 'r01'", "room-2");
    assertThat(health().isHealthy()).isFalse();
    assertThat(health().getMessage()).contains("node 'n2'");
    assertThat(maps.current()).isEqualTo(before);

    // An unknown level, on the node that was fine.
    admin
        .nodes()
        .withName("n2")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("strata.io/rack", "r02");
              n.getMetadata().getLabels().put("strata.io/shelf", "s1");
              return n;
            });
    await("the unknown level reported")
        .atMost(TIMEOUT)
        .until(() -> watch.status().problems().toString().contains("strata.io/shelf"));
    assertThat(watch.status().problems().toString()).contains("node 'n2'", "names no level");
    assertThat(maps.current()).isEqualTo(before);
  }

  @Test
  void labelsThatWouldLeaveAPolicyUnplaceableAreRefused() {
    admin.resource(KubernetesFleet.node("n1", "room-1", "r01")).create();
    admin.resource(KubernetesFleet.node("n2", "room-2", "r02")).create();
    watch(kubernetes.controllerClient());
    await("the tree from the labels").atMost(TIMEOUT).until(() -> "r02".equals(parentOf("n2")));
    policies.set(
        PolicySet.of(
            PolicyLoader.load(
                    new PolicyLoader.Read(
                        List.of(new PolicySource("two-rooms.yaml", POLICY)), List.of()),
                    maps.current())
                .orThrow()));
    ClusterMap before = maps.current();

    // Both nodes in one room: two copies can no longer be in two rooms.
    admin
        .nodes()
        .withName("n2")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("strata.io/room", "room-1");
              return n;
            });

    await("the refusal reported")
        .atMost(TIMEOUT)
        .until(() -> watch.status().problems().toString().contains("policy two-rooms"));
    assertThat(maps.current()).isEqualTo(before);
  }

  @Test
  void aNodeNotReadyPastItsGraceIsDown() {
    admin.resource(KubernetesFleet.node("n1", "room-1", "r01")).create();
    admin.resource(KubernetesFleet.node("n2", "room-2", "r02")).create();
    watch(kubernetes.controllerClient());
    await("the tree from the labels").atMost(TIMEOUT).until(() -> "r02".equals(parentOf("n2")));
    assertThat(watch.nodesDown(clock.instant())).isEmpty();

    String since = clock.instant().minusSeconds(10).toString();
    admin
        .nodes()
        .withName("n1")
        .editStatus(
            n -> {
              n.getStatus().getConditions().get(0).setStatus("Unknown");
              n.getStatus().getConditions().get(0).setLastTransitionTime(since);
              return n;
            });

    await("n1 seen not ready")
        .atMost(TIMEOUT)
        .until(() -> watch.nodes().get("n1").notReadySince() != null);
    assertThat(watch.nodesDown(clock.instant())).as("within its grace").isEmpty();
    clock.advance(GRACE);
    assertThat(watch.nodesDown(clock.instant())).containsExactly("n1");
  }

  @Test
  void anUnreachableApiServerIsAClearErrorAndTheMapStays() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    KubernetesFactory config = KubernetesFleet.config();
    // No retries inside the client: the informer's own retries are what the test watches.
    KubernetesClient away =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + closed)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    ClusterMap before = maps.current();
    try {
      watch = new NodeWatch(away, config, maps, policies::get, () -> true, clock);
      watch.start();

      await("the error known").atMost(TIMEOUT).until(() -> watch.status().error() != null);
      assertThat(watch.status().error())
          .contains("cannot reach the Kubernetes API at http://127.0.0.1:" + closed);
      assertThat(health().isHealthy()).isFalse();
      assertThat(maps.current()).isEqualTo(before);
    } finally {
      watch.stop();
      watch = null;
      away.close();
    }
  }

  @Test
  void aRefusedPermissionIsAClearErrorAndTheMapStays() {
    admin.resource(KubernetesFleet.node("n1", "room-1", "r01")).create();
    kubernetes.refuseController(true);
    ClusterMap before = maps.current();
    watch(kubernetes.controllerClient());

    await("the refusal known").atMost(TIMEOUT).until(() -> watch.status().error() != null);
    assertThat(watch.status().error()).contains("may not list and watch nodes", "403");
    assertThat(health().isHealthy()).isFalse();
    assertThat(health().getMessage()).contains("RBAC", "strata-controller");
    assertThat(maps.current()).isEqualTo(before);

    kubernetes.refuseController(false);
    await("recovered once allowed")
        .atMost(TIMEOUT)
        .until(() -> "r01".equals(parentOf("n1")) && watch.status().error() == null);
  }
}
