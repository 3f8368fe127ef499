package io.strata.controller.kubernetes;

import static io.strata.runtime.TestTimeouts.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.jackson.Jackson;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.AgentRegistry;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.runtime.TestClock;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The managed agents' DaemonSet rolled one rack at a time against the Kubernetes mock server, the
 * test playing the DaemonSet controller (it makes deleted pods again from the template) and the
 * agents (each heartbeats at its image's version once its pod is back).
 */
class AgentRolloutIT {
  private static final String OLD = "strata/strata:0.1.0";
  private static final String NEW = "strata/strata:0.2.0";

  private final TestClock clock = new TestClock(Instant.parse("2026-12-06T06:00:00Z"));
  private final AtomicLong sequence = new AtomicLong();
  private TestZooKeeper zookeeper;
  private MockKubernetes kubernetes;
  private KubernetesClient admin;
  private ClusterMapStore maps;
  private AgentRegistry agents;
  private KubernetesFleet.Controller controller;
  private AgentRollout rollout;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    kubernetes = new MockKubernetes();
    admin = kubernetes.client();
    maps = new ClusterMapStore(zookeeper.client(), KubernetesFleet.SEED);
    maps.start();
    agents =
        new AgentRegistry(
            zookeeper.client(), Jackson.newObjectMapper(), clock, Duration.ofMinutes(5), "r1");
    agents.start();
    KubernetesFleet.create(admin);
    admin.resource(daemonSet()).create();
    for (String node : List.of("n1", "n2", "n3")) {
      beat(node, "0.1.0");
    }
    controller = KubernetesFleet.start(kubernetes.controllerClient(), maps);
    KubernetesFactory config = KubernetesFleet.config();
    config.setManageAgents(true);
    config.setAgentImage(NEW);
    config.setAgentVersion("0.2.0");
    rollout =
        new AgentRollout(
            kubernetes.controllerClient(),
            config,
            maps,
            controller.nodes(),
            controller.budgets(),
            agents::list,
            () -> true);
    rollout.start();
  }

  @AfterEach
  void stop() throws Exception {
    rollout.stop();
    controller.close();
    agents.stop();
    maps.stop();
    kubernetes.close();
    zookeeper.close();
  }

  private static DaemonSet daemonSet() {
    Pod pod = KubernetesFleet.agentPod("any");
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName("strata-agent")
        .withNamespace("strata")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels(pod.getMetadata().getLabels())
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels(pod.getMetadata().getLabels())
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("agent")
        .withImage(OLD)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private void beat(String node, String version) throws Exception {
    agents.heartbeat(
        new Heartbeat(
            "agent-" + node,
            node,
            version,
            null,
            sequence.incrementAndGet(),
            clock.instant(),
            null,
            List.of(),
            null,
            null));
  }

  private Map<String, String> imageByNode() {
    Map<String, String> out = new HashMap<>();
    for (Pod pod : admin.pods().inNamespace("strata").list().getItems()) {
      out.put(pod.getSpec().getNodeName(), pod.getSpec().getContainers().get(0).getImage());
    }
    return out;
  }

  @Test
  void aRollingUpdateReplacesTheAgentsOneRackAtATimeNeverTwoRacksDown() throws Exception {
    Set<String> comingUp = new HashSet<>();
    List<Set<String>> downSeen = new ArrayList<>();
    await("every agent at 0.2.0")
        .atMost(TIMEOUT)
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () -> {
              ClusterMap map = maps.current();
              Map<String, String> images = imageByNode();
              // Down: a rack with an agent pod gone, or back but its agent not beating yet.
              Set<String> down = new TreeSet<>();
              for (String node : List.of("n1", "n2", "n3")) {
                if (!images.containsKey(node) || comingUp.contains(node)) {
                  down.add(DisruptionPlan.enclosing(map, node, DomainLevel.RACK).orElse(node));
                }
              }
              if (!down.isEmpty()) {
                downSeen.add(down);
              }
              // The agents whose pods came back last time beat at their new version now.
              for (String node : comingUp) {
                beat(node, images.get(node).substring(images.get(node).indexOf(':') + 1));
              }
              comingUp.clear();
              // The DaemonSet controller: a deleted pod is made again from the template.
              DaemonSet set =
                  admin.apps().daemonSets().inNamespace("strata").withName("strata-agent").get();
              String image =
                  set.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
              for (String node : List.of("n1", "n2", "n3")) {
                if (!images.containsKey(node)) {
                  Pod pod = KubernetesFleet.agentPod(node);
                  pod.getSpec().getContainers().get(0).setImage(image);
                  admin.resource(pod).create();
                  comingUp.add(node);
                }
              }
              return rollout.last() instanceof RolloutPlan.Done;
            });

    DaemonSet set = admin.apps().daemonSets().inNamespace("strata").withName("strata-agent").get();
    assertThat(set.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    assertThat(imageByNode())
        .containsOnly(Map.entry("n1", NEW), Map.entry("n2", NEW), Map.entry("n3", NEW));
    assertThat(downSeen).as("racks down at once").allSatisfy(d -> assertThat(d).hasSize(1));
    assertThat(downSeen.stream().map(d -> d.iterator().next()).distinct().toList())
        .as("one rack after the other")
        .containsExactly("r01", "r02", "r03");
    assertThat(rollout.error()).isNull();
  }
}
