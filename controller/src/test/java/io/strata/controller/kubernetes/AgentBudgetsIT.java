package io.strata.controller.kubernetes;

import static io.strata.runtime.TestTimeouts.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.policy.evaluate.PolicySet;
import io.strata.runtime.TestClock;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agents' disruption budgets, kept against the Kubernetes mock server in CRUD mode. */
class AgentBudgetsIT {
  /** Three pools on three nodes; the labels put them in racks r01, r02, r03. */
  static final ClusterMap SEED =
      TopologyFile.parse(
          "topology.yaml",
          """
          tiers:
            - {name: hot}
          domains:
            - {id: east, level: region}
            - {id: n1, level: node, parent: east}
            - {id: n2, level: node, parent: east}
            - {id: n3, level: node, parent: east}
          pools:
            - {id: p1, domain: n1, tier: hot, endpoint: "http://10.0.0.1:9000", capacity: 1TiB}
            - {id: p2, domain: n2, tier: hot, endpoint: "http://10.0.0.2:9000", capacity: 1TiB}
            - {id: p3, domain: n3, tier: hot, endpoint: "http://10.0.0.3:9000", capacity: 1TiB}
          """);

  /** Racks r01 and r02 hold copies of the same shards; r03's share with neither. */
  static final Map<String, Set<String>> SHARING =
      Map.of("r01", Set.of("r02"), "r02", Set.of("r01"), "r03", Set.of(), "r04", Set.of());

  private TestZooKeeper zookeeper;
  private MockKubernetes kubernetes;
  private KubernetesClient admin;
  private ClusterMapStore maps;
  private NodeWatch watch;
  private AgentBudgets budgets;

  /** Starts the controller's side: the nodes' watch and the budgets, as the leader. */
  static NodeWatch[] startController(
      KubernetesClient client, ClusterMapStore maps, AgentBudgets[] budgetsOut) {
    KubernetesFactory config = NodeWatchIT.config();
    NodeWatch watch =
        new NodeWatch(
            client,
            config,
            maps,
            () -> PolicySet.of(List.of()),
            () -> true,
            new TestClock(Instant.parse("2026-12-06T06:00:00Z")));
    watch.start();
    AgentBudgets budgets =
        new AgentBudgets(
            client,
            config,
            maps,
            watch,
            (domains, level) -> {
              Map<String, Set<String>> out = new HashMap<>();
              domains.forEach(d -> out.put(d, SHARING.getOrDefault(d, Set.of())));
              return out;
            },
            () -> true);
    budgets.start();
    budgetsOut[0] = budgets;
    return new NodeWatch[] {watch};
  }

  static Pod agentPod(String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("strata-agent-" + node)
        .withNamespace("strata")
        .addToLabels("app.kubernetes.io/name", "strata")
        .addToLabels("app.kubernetes.io/component", "agent")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("agent")
        .withImage("strata/strata:0.1.0")
        .endContainer()
        .endSpec()
        .build();
  }

  /** Creates three labelled storage nodes and an agent pod on each. */
  static void createFleet(KubernetesClient admin) {
    admin.resource(NodeWatchIT.node("n1", "room-1", "r01")).create();
    admin.resource(NodeWatchIT.node("n2", "room-2", "r02")).create();
    admin.resource(NodeWatchIT.node("n3", "room-2", "r03")).create();
    for (String node : List.of("n1", "n2", "n3")) {
      admin.resource(agentPod(node)).create();
    }
  }

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    kubernetes = new MockKubernetes();
    admin = kubernetes.client();
    maps = new ClusterMapStore(zookeeper.client(), SEED);
    maps.start();
    createFleet(admin);
    AgentBudgets[] out = new AgentBudgets[1];
    watch = startController(kubernetes.controllerClient(), maps, out)[0];
    budgets = out[0];
  }

  @AfterEach
  void stop() throws Exception {
    budgets.stop();
    watch.stop();
    maps.stop();
    kubernetes.close();
    zookeeper.close();
  }

  /** Budget name to maxUnavailable. */
  private Map<String, String> budgets() {
    Map<String, String> out = new TreeMap<>();
    for (PodDisruptionBudget b :
        admin.policy().v1().podDisruptionBudget().inNamespace("strata").list().getItems()) {
      out.put(b.getMetadata().getName(), b.getSpec().getMaxUnavailable().toString());
    }
    return out;
  }

  private String maxUnavailable(String name) {
    PodDisruptionBudget b =
        admin.policy().v1().podDisruptionBudget().inNamespace("strata").withName(name).get();
    return b == null ? null : String.valueOf(b.getSpec().getMaxUnavailable().getValue());
  }

  private String rackOfPod(String node) {
    return admin
        .pods()
        .inNamespace("strata")
        .withName("strata-agent-" + node)
        .get()
        .getMetadata()
        .getLabels()
        .get("strata.io/rack");
  }

  @Test
  void aBudgetPerRackSelectsItsAgentsAndFollowsTheMap() {
    await("a budget per rack")
        .atMost(TIMEOUT)
        .until(
            () ->
                budgets()
                    .keySet()
                    .equals(Set.of("strata-agents-r01", "strata-agents-r02", "strata-agents-r03")));
    PodDisruptionBudget r01 =
        admin
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace("strata")
            .withName("strata-agents-r01")
            .get();
    assertThat(r01.getSpec().getSelector().getMatchLabels())
        .containsEntry("strata.io/rack", "r01")
        .containsEntry("app.kubernetes.io/component", "agent");
    assertThat(r01.getSpec().getMaxUnavailable().getStrVal()).isEqualTo("100%");
    await("agents labelled with their rack")
        .atMost(TIMEOUT)
        .until(() -> "r01".equals(rackOfPod("n1")) && "r03".equals(rackOfPod("n3")));

    // n3 moves to a new rack: the map changes, and the budgets and labels follow it.
    admin
        .nodes()
        .withName("n3")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("strata.io/rack", "r04");
              return n;
            });

    await("the budgets follow the map")
        .atMost(TIMEOUT)
        .until(
            () ->
                budgets()
                    .keySet()
                    .equals(Set.of("strata-agents-r01", "strata-agents-r02", "strata-agents-r04")));
    await("the agent relabelled").atMost(TIMEOUT).until(() -> "r04".equals(rackOfPod("n3")));
    assertThat(budgets.error()).isNull();
  }

  @Test
  void aRackHoldingCopiesOfTheSameShardsAsADisruptedOneMayNotBeDisrupted() {
    await("a budget per rack").atMost(TIMEOUT).until(() -> budgets().size() == 3);

    // An operator drains n1 (r01): kubectl cordons it first.
    admin
        .nodes()
        .withName("n1")
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              return n;
            });

    await("r02 blocked while r01 is disrupted")
        .atMost(TIMEOUT)
        .until(() -> "0".equals(maxUnavailable("strata-agents-r02")));
    assertThat(maxUnavailable("strata-agents-r01")).as("the drain goes on").isEqualTo("100%");
    assertThat(maxUnavailable("strata-agents-r03")).as("shares nothing with r01").isEqualTo("100%");
    assertThat(
            admin
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace("strata")
                .withName("strata-agents-r02")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry(AgentBudgets.WAITS_FOR, "r01");

    admin
        .nodes()
        .withName("n1")
        .edit(
            n -> {
              n.getSpec().setUnschedulable(false);
              return n;
            });
    await("r02 free again once r01 is back")
        .atMost(TIMEOUT)
        .until(() -> "100%".equals(maxUnavailable("strata-agents-r02")));
  }
}
