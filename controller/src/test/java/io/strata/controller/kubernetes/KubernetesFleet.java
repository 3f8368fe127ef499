package io.strata.controller.kubernetes;

import io.dropwizard.util.Duration;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.policy.evaluate.PolicySet;
import io.strata.runtime.TestClock;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small fleet on the Kubernetes mock server, and the controller's Kubernetes side running as the
 * leader against it: for the tests here and the manifests' tests in {@code deploy/}.
 */
public final class KubernetesFleet {
  /** Three pools on three nodes; the labels put them in racks r01, r02, r03. */
  public static final ClusterMap SEED =
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
  public static final Map<String, Set<String>> SHARING =
      Map.of("r01", Set.of("r02"), "r02", Set.of("r01"));

  private KubernetesFleet() {}

  /** The controller's configuration for tests: quick syncs, a minute's grace. */
  public static KubernetesFactory config() {
    KubernetesFactory config = new KubernetesFactory();
    config.setEnabled(true);
    config.setSyncInterval(Duration.milliseconds(100));
    config.setNodeGrace(Duration.seconds(60));
    return config;
  }

  /** A ready storage node of region east, site site-a, in {@code room} and {@code rack}. */
  public static Node node(String name, String room, String rack) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("strata.io/storage-node", "true");
    labels.put("topology.kubernetes.io/region", "east");
    labels.put("topology.kubernetes.io/zone", "site-a");
    labels.put("strata.io/room", room);
    labels.put("strata.io/rack", rack);
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(false)
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime("2026-12-01T00:00:00Z")
        .endCondition()
        .endStatus()
        .build();
  }

  /** The agent pod of the DaemonSet on {@code node}. */
  public static Pod agentPod(String node) {
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

  /** Creates the nodes n1 (room-1, r01), n2 (room-2, r02), n3 (room-2, r03) and their agents. */
  public static void create(KubernetesClient admin) {
    admin.resource(node("n1", "room-1", "r01")).create();
    admin.resource(node("n2", "room-2", "r02")).create();
    admin.resource(node("n3", "room-2", "r03")).create();
    for (String node : List.of("n1", "n2", "n3")) {
      admin.resource(agentPod(node)).create();
    }
  }

  /** The controller's Kubernetes side, started as the leader; closing it stops it. */
  public record Controller(NodeWatch nodes, AgentBudgets budgets) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      budgets.stop();
      nodes.stop();
    }
  }

  /** Starts the nodes' watch and the agents' budgets on {@code client}, as the leader. */
  public static Controller start(KubernetesClient client, ClusterMapStore maps) {
    KubernetesFactory config = config();
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
    return new Controller(watch, budgets);
  }
}
