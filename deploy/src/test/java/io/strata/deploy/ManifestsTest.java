package io.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Kubernetes manifests parse with the Kubernetes model and say what the design needs. */
class ManifestsTest {
  private static List<HasMetadata> manifests() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("kubernetes/strata.yaml"))) {
      Object parsed = Serialization.unmarshal(in);
      @SuppressWarnings("unchecked")
      List<HasMetadata> items =
          parsed instanceof List<?> ? (List<HasMetadata>) parsed : List.of((HasMetadata) parsed);
      return items;
    }
  }

  /** The manifest of {@code type} named {@code name}. */
  private static <T extends HasMetadata> T named(
      List<HasMetadata> items, Class<T> type, String name) {
    return items.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(item -> item.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
  }

  @Test
  void controllerRunsSeveralReplicasAndAgentsRunOnStorageNodes() throws Exception {
    List<HasMetadata> items = manifests();
    Deployment controller = named(items, Deployment.class, "strata-controller");
    assertThat(controller.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(controller.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("server", "/etc/strata/controller.yml");
    DaemonSet agent = named(items, DaemonSet.class, "strata-agent");
    assertThat(agent.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("strata.io/storage-node", "true");
    assertThat(agent.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("agent", "/etc/strata/agent.yml");
  }

  @Test
  void eachControllerReplicaAdvertisesItsPodAddressToAgents() throws Exception {
    List<HasMetadata> items = manifests();
    ConfigMap config = named(items, ConfigMap.class, "strata-controller");
    // Followers send agents to the leader's advertised URL; the Service's would reach any replica.
    assertThat(config.getData().get("controller.yml"))
        .contains("advertisedUrl: http://${STRATA_POD_IP}:8080");
    Deployment controller = named(items, Deployment.class, "strata-controller");
    assertThat(controller.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("STRATA_POD_IP");
              assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
            });
  }

  @Test
  void secretsAreMountedReadOnlyAndNeverInlined() throws Exception {
    String text = Files.readString(Path.of("kubernetes/strata.yaml"));
    assertThat(text)
        .doesNotContainIgnoringCase("secretKey")
        .doesNotContainIgnoringCase("password:");
    for (HasMetadata item : manifests()) {
      if (item instanceof Deployment d) {
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
            .filteredOn(m -> m.getName().equals("secrets"))
            .allMatch(m -> Boolean.TRUE.equals(m.getReadOnly()));
      }
    }
  }
}
