package io.strata.deploy;

import static io.strata.runtime.TestTimeouts.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strata.controller.TestZooKeeper;
import io.strata.controller.kubernetes.KubernetesFleet;
import io.strata.controller.kubernetes.MockKubernetes;
import io.strata.controller.zookeeper.ClusterMapStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The manifests applied to the Kubernetes mock server (CRUD mode) and read back, and the RBAC rules
 * they grant the controller compared with the calls the controller's Kubernetes side makes.
 */
class ManifestsIT {
  private static final List<Path> FILES =
      List.of(Path.of("kubernetes/strata.yaml"), Path.of("kubernetes/monitoring.yaml"));

  private static final CustomResourceDefinitionContext SERVICE_MONITOR =
      new CustomResourceDefinitionContext.Builder()
          .withGroup("monitoring.coreos.com")
          .withVersion("v1")
          .withKind("ServiceMonitor")
          .withPlural("servicemonitors")
          .withScope("Namespaced")
          .build();

  private MockKubernetes kubernetes;
  private KubernetesClient admin;

  @BeforeEach
  void start() {
    kubernetes = new MockKubernetes();
    kubernetes.expectCustomResource(SERVICE_MONITOR);
    admin = kubernetes.client();
  }

  @AfterEach
  void stop() {
    kubernetes.close();
  }

  static List<HasMetadata> manifests() throws Exception {
    List<HasMetadata> all = new ArrayList<>();
    for (Path file : FILES) {
      try (InputStream in = Files.newInputStream(file)) {
        Object parsed = Serialization.unmarshal(in);
        if (parsed instanceof List<?> list) {
          list.forEach(item -> all.add((HasMetadata) item));
        } else {
          all.add((HasMetadata) parsed);
        }
      }
    }
    return all;
  }

  private HasMetadata apply(HasMetadata item) {
    if (item instanceof GenericKubernetesResource custom) {
      return admin
          .genericKubernetesResources(SERVICE_MONITOR)
          .inNamespace(custom.getMetadata().getNamespace())
          .resource(custom)
          .create();
    }
    return admin.resource(item).create();
  }

  private HasMetadata readBack(HasMetadata item) {
    if (item instanceof GenericKubernetesResource custom) {
      return admin
          .genericKubernetesResources(SERVICE_MONITOR)
          .inNamespace(custom.getMetadata().getNamespace())
          .withName(custom.getMetadata().getName())
          .get();
    }
    return admin.resource(item).get();
  }

  /** What a manifest says, without what the server adds (versions, ids, times). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> content(HasMetadata item) {
    Map<String, Object> map =
        new LinkedHashMap<>(Serialization.jsonMapper().convertValue(item, Map.class));
    Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) map.get("metadata"));
    metadata
        .keySet()
        .removeAll(
            Set.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"));
    map.put("metadata", metadata);
    map.remove("status");
    return map;
  }

  @Test
  void everyManifestIsAcceptedAndReadsBackAsWritten() throws Exception {
    List<HasMetadata> items = manifests();
    assertThat(items)
        .extracting(HasMetadata::getKind)
        .contains(
            "StatefulSet",
            "DaemonSet",
            "Service",
            "ServiceAccount",
            "ClusterRole",
            "Role",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "ServiceMonitor",
            "ConfigMap");
    for (HasMetadata item : items) {
      apply(item);
    }
    for (HasMetadata item : items) {
      HasMetadata back = readBack(item);
      assertThat(back).as("%s %s", item.getKind(), item.getMetadata().getName()).isNotNull();
      assertThat(content(back))
          .as("%s %s", item.getKind(), item.getMetadata().getName())
          .isEqualTo(content(item));
    }
  }

  @Test
  void zooKeeperAndTheControllerSurviveOneVoluntaryDisruptionEach() throws Exception {
    for (HasMetadata item : manifests()) {
      apply(item);
    }
    for (String name : List.of("zk", "strata-controller")) {
      PodDisruptionBudget budget =
          admin.policy().v1().podDisruptionBudget().inNamespace("strata").withName(name).get();
      assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).as(name).isEqualTo(1);
    }
  }

  /** {@code group/resource verb} for every rule the manifests grant the controller. */
  private static Set<String> granted(List<HasMetadata> items) {
    Set<String> roles = new TreeSet<>();
    for (HasMetadata item : items) {
      if (item instanceof ClusterRoleBinding b
          && b.getSubjects().stream().anyMatch(s -> s.getName().equals("strata-controller"))) {
        roles.add("ClusterRole/" + b.getRoleRef().getName());
      }
      if (item instanceof RoleBinding b
          && b.getSubjects().stream().anyMatch(s -> s.getName().equals("strata-controller"))) {
        roles.add("Role/" + b.getRoleRef().getName());
      }
    }
    Set<String> out = new TreeSet<>();
    for (HasMetadata item : items) {
      List<PolicyRule> rules =
          item instanceof ClusterRole r
                  && roles.contains("ClusterRole/" + r.getMetadata().getName())
              ? r.getRules()
              : item instanceof Role r && roles.contains("Role/" + r.getMetadata().getName())
                  ? r.getRules()
                  : List.of();
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              out.add(group + "/" + resource + " " + verb);
            }
          }
        }
      }
    }
    return out;
  }

  /** The RBAC verb and resource of one API call: {@code group/resource verb}. */
  static String permission(MockKubernetes.Call call) {
    String[] pathAndQuery = call.path().split("\\?", 2);
    String query = pathAndQuery.length > 1 ? pathAndQuery[1] : "";
    List<String> parts = new ArrayList<>(List.of(pathAndQuery[0].replaceAll("^/", "").split("/")));
    String group;
    if (parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    }
    if (parts.get(0).equals("namespaces") && parts.size() > 2) {
      parts = parts.subList(2, parts.size());
    }
    String resource = parts.get(0) + (parts.size() > 2 ? "/" + parts.get(2) : "");
    boolean named = parts.size() > 1;
    String verb =
        switch (call.method()) {
          case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> call.method();
        };
    return group + "/" + resource + " " + verb;
  }

  @Test
  void theControllersRolesGrantExactlyTheCallsItMakes() throws Exception {
    List<HasMetadata> items = manifests();
    for (HasMetadata item : items) {
      apply(item);
    }
    KubernetesFleet.create(admin);
    try (TestZooKeeper zookeeper = new TestZooKeeper()) {
      ClusterMapStore maps = new ClusterMapStore(zookeeper.client(), KubernetesFleet.SEED);
      maps.start();
      try (KubernetesFleet.Controller controller =
          KubernetesFleet.start(kubernetes.controllerClient(), maps)) {
        // Everything the controller does on Kubernetes: budgets made, one blocked (an update),
        // a rack gone (a delete), agents labelled (patches), nodes and pods watched.
        await("a budget per rack").atMost(TIMEOUT).until(() -> budgets().size() == 3);
        admin
            .nodes()
            .withName("n1")
            .edit(
                n -> {
                  n.getSpec().setUnschedulable(true);
                  return n;
                });
        admin
            .nodes()
            .withName("n3")
            .edit(
                n -> {
                  n.getMetadata().getLabels().put("strata.io/rack", "r04");
                  return n;
                });
        await("r02 blocked, r03 gone, r04 made")
            .atMost(TIMEOUT)
            .until(
                () ->
                    budgets()
                        .equals(
                            Map.of(
                                "strata-agents-r01", "100%",
                                "strata-agents-r02", "0",
                                "strata-agents-r04", "100%")));
        assertThat(controller.nodes().status().error()).isNull();
        assertThat(controller.budgets().error()).isNull();
      } finally {
        maps.stop();
      }
    }

    Set<String> used = new TreeSet<>();
    kubernetes.calls().forEach(call -> used.add(permission(call)));
    assertThat(used).isEqualTo(granted(items));
  }

  /** Budget name to maxUnavailable, of the budgets the controller keeps. */
  private Map<String, String> budgets() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (PodDisruptionBudget b :
        admin
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace("strata")
            .withLabel("app.kubernetes.io/managed-by", "strata-controller")
            .list()
            .getItems()) {
      var max = b.getSpec().getMaxUnavailable();
      out.put(
          b.getMetadata().getName(),
          max.getStrVal() != null ? max.getStrVal() : String.valueOf(max.getIntVal()));
    }
    return out;
  }
}
