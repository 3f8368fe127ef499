package io.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.DefaultConfigurationFactoryFactory;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strata.agent.AgentConfiguration;
import io.strata.controller.ControllerConfiguration;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes manifests parse with the Kubernetes model and say what the design needs. */
class ManifestsTest {
  private static final Path MANIFEST = Path.of("kubernetes/strata.yaml");

  @TempDir Path dir;

  private static List<HasMetadata> manifests() throws Exception {
    try (InputStream in = Files.newInputStream(MANIFEST)) {
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
    StatefulSet controller = named(items, StatefulSet.class, "strata-controller");
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
    StatefulSet controller = named(items, StatefulSet.class, "strata-controller");
    assertThat(controller.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("STRATA_POD_IP");
              assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
            });
  }

  @Test
  void secretsAreMountedReadOnlyAndNeverInlined() throws Exception {
    String text = Files.readString(MANIFEST);
    assertThat(text)
        .doesNotContainIgnoringCase("secretKey")
        .doesNotContainIgnoringCase("password:");
    for (HasMetadata item : manifests()) {
      if (item instanceof StatefulSet d) {
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
            .filteredOn(m -> m.getName().equals("secrets"))
            .allMatch(m -> Boolean.TRUE.equals(m.getReadOnly()));
      }
    }
  }

  @Test
  void everyConfigMapAndSecretAPodMountsIsDefinedHereOrCreatedByTheSetupCommands()
      throws Exception {
    List<HasMetadata> items = manifests();
    String text = Files.readString(MANIFEST);
    for (HasMetadata item : items) {
      PodSpec pod =
          item instanceof StatefulSet d
              ? d.getSpec().getTemplate().getSpec()
              : item instanceof DaemonSet ds ? ds.getSpec().getTemplate().getSpec() : null;
      if (pod == null) {
        continue;
      }
      for (Volume volume : pod.getVolumes()) {
        if (volume.getConfigMap() != null) {
          String name = volume.getConfigMap().getName();
          boolean defined =
              items.stream()
                  .anyMatch(i -> i instanceof ConfigMap && i.getMetadata().getName().equals(name));
          assertThat(defined || text.contains("create configmap " + name + " "))
              .as("ConfigMap %s mounted by %s", name, item.getMetadata().getName())
              .isTrue();
        }
        if (volume.getSecret() != null) {
          assertThat(text)
              .as("Secret mounted by %s", item.getMetadata().getName())
              .contains("create secret generic " + volume.getSecret().getSecretName() + " ");
        }
      }
    }
  }

  /** The environment variables a container defines. */
  private static Map<String, String> envOf(PodSpec pod, Map<String, String> values) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : pod.getContainers().get(0).getEnv()) {
      assertThat(values)
          .as("a value to test with for %s", var.getName())
          .containsKey(var.getName());
      env.put(var.getName(), values.get(var.getName()));
    }
    return env;
  }

  /** Loads {@code yaml} as the application does, with {@code env} as its environment. */
  private <T extends io.dropwizard.core.Configuration> T load(
      Class<T> type, String yaml, Map<String, String> env) throws Exception {
    StringSubstitutor substitutor = new StringSubstitutor(env);
    substitutor.setEnableUndefinedVariableException(true);
    Path file = dir.resolve(type.getSimpleName() + ".yml");
    Files.writeString(file, substitutor.replace(yaml));
    return new DefaultConfigurationFactoryFactory<T>()
        .create(type, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(new FileConfigurationSourceProvider(), file.toString());
  }

  @Test
  void eachNodesAgentConfigurationLoadsWithTheDaemonSetsEnvironment() throws Exception {
    List<HasMetadata> items = manifests();
    DaemonSet agents = named(items, DaemonSet.class, "strata-agent");
    Map<String, String> env =
        envOf(
            agents.getSpec().getTemplate().getSpec(),
            Map.of("STRATA_NODE", "czzl-a-r01-n1", "STRATA_NODE_IP", "10.1.0.11"));

    AgentConfiguration config =
        load(
            AgentConfiguration.class,
            named(items, ConfigMap.class, "strata-agent").getData().get("agent.yml"),
            env);

    assertThat(config.getAgentId()).isEqualTo("czzl-a-r01-n1");
    assertThat(config.getNode()).isEqualTo("czzl-a-r01-n1");
    // Each node's own token, from the node: not from a Secret that every agent pod mounts.
    assertThat(config.getControllerToken()).isEqualTo("file:/etc/strata/node/agent.token");
    PodSpec pod = agents.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/etc/strata/node"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getReadOnly()).isTrue();
              assertThat(pod.getVolumes())
                  .filteredOn(v -> v.getName().equals(m.getName()))
                  .singleElement()
                  .satisfies(
                      v -> assertThat(v.getHostPath().getPath()).isEqualTo("/etc/strata/node"));
            });
    assertThat(Files.readString(MANIFEST))
        .as("the agents' Secret holds no token")
        .doesNotContainPattern("create secret generic strata-agent[^\\n]*token");
    assertThat(config.getPools())
        .singleElement()
        .satisfies(p -> assertThat(p.getEndpoint()).isEqualTo("http://10.1.0.11:9000"));
  }

  @Test
  void theControllerConfigurationLoadsWithTheDeploymentsEnvironment() throws Exception {
    List<HasMetadata> items = manifests();
    StatefulSet controllers = named(items, StatefulSet.class, "strata-controller");
    Map<String, String> env =
        envOf(controllers.getSpec().getTemplate().getSpec(), Map.of("STRATA_POD_IP", "10.2.3.4"));

    ControllerConfiguration config =
        load(
            ControllerConfiguration.class,
            named(items, ConfigMap.class, "strata-controller").getData().get("controller.yml"),
            env);

    assertThat(config.getAdvertisedUrl()).isEqualTo("http://10.2.3.4:8080");
    assertThat(config.getKubernetes().isEnabled()).isTrue();
    assertThat(config.getKubernetes().getNamespace()).isEqualTo("strata");
  }

  @Test
  void eachControllerReplicaKeepsItsAuditSpoolOnAVolumeOfItsOwn() throws Exception {
    StatefulSet controller = named(manifests(), StatefulSet.class, "strata-controller");
    assertThat(controller.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            claim -> {
              assertThat(claim.getMetadata().getName()).isEqualTo("audit-spool");
              assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            });
    assertThat(
            controller.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("audit-spool");
              // The configuration's audit.spoolDir lies on it.
              assertThat(m.getMountPath()).isEqualTo("/var/lib/strata");
            });
  }

  @Test
  void zooKeeperIsAnEnsembleOfThreeThatTheControllerConnectsTo() throws Exception {
    List<HasMetadata> items = manifests();
    StatefulSet zk = named(items, StatefulSet.class, "zk");
    assertThat(zk.getSpec().getReplicas()).isEqualTo(3);
    assertThat(zk.getSpec().getServiceName()).isEqualTo("zk");
    assertThat(named(items, ConfigMap.class, "strata-controller").getData().get("controller.yml"))
        .contains("zk-0.zk:2181,zk-1.zk:2181,zk-2.zk:2181");
  }
}
