package io.strata.controller.kubernetes;

import static io.strata.runtime.TestTimeouts.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.zookeeper.ClusterMapStore;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agents' disruption budgets, kept against the Kubernetes mock server in CRUD mode. */
class AgentBudgetsIT {
  private TestZooKeeper zookeeper;
  private MockKubernetes kubernetes;
  private KubernetesClient admin;
  private ClusterMapStore maps;
  private KubernetesFleet.Controller controller;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
    kubernetes = new MockKubernetes();
    admin = kubernetes.client();
    maps = new ClusterMapStore(zookeeper.client(), KubernetesFleet.SEED);
    maps.start();
    KubernetesFleet.create(admin);
    controller = KubernetesFleet.start(kubernetes.controllerClient(), maps);
  }

  @AfterEach
  void stop() throws Exception {
    controller.close();
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
    assertThat(controller.budgets().error()).isNull();
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
