package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.StrataApplication;
import io.strata.controller.kubernetes.KubernetesFleet;
import io.strata.controller.kubernetes.MockKubernetes;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller with {@code kubernetes.enabled} against the Kubernetes mock server (CRUD mode): the
 * tree of its map comes from the nodes' labels, its {@code kubernetes} health check follows the API
 * server and the labels, and its budgets are kept.
 */
class KubernetesIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private MockKubernetes kubernetes;
  private KubernetesClient admin;
  private EmbeddedApp<ControllerConfiguration> controller;

  @BeforeEach
  void start() throws Exception {
    fleet = new TestFleet(dir, 2);
    kubernetes = new MockKubernetes();
    admin = kubernetes.client();
    admin.resource(KubernetesFleet.node("node-0", "room-a", "rack-a")).create();
    admin.resource(KubernetesFleet.node("node-1", "room-b", "rack-b")).create();
    controller =
        fleet.startController(
            "replica-1",
            new StrataApplication(),
            "kubernetes:\n  enabled: true\n  masterUrl: %s\n  syncInterval: 200ms\n"
                .formatted(kubernetes.url()));
  }

  @AfterEach
  void stop() throws Exception {
    fleet.close();
    kubernetes.close();
  }

  private String parentOf(String domain) throws Exception {
    JsonNode domains =
        fleet
            .as(Roles.VIEWER)
            .getJson("http://127.0.0.1:" + controller.port() + "/api/v1/cluster-map/domains");
    for (JsonNode d : domains) {
      if (d.get("id").asText().equals(domain)) {
        return d.get("parent").asText();
      }
    }
    return null;
  }

  private JsonNode kubernetesHealth() throws Exception {
    String body =
        Http.get("http://127.0.0.1:" + TestFleet.adminPort(controller) + "/healthcheck").body();
    return Http.JSON.readTree(body).get("kubernetes");
  }

  @Test
  void theLeadersMapTakesItsTreeFromTheNodesAndItsHealthFollowsTheirLabels() throws Exception {
    await("the tree from the nodes' labels")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> "rack-a".equals(parentOf("node-0")) && "room-b".equals(parentOf("rack-b")));
    assertThat(parentOf("room-a")).isEqualTo("site-a");
    await("healthy")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> kubernetesHealth().get("healthy").asBoolean());
    await("a budget per rack")
        .atMost(TestFleet.TIMEOUT)
        .until(
            () ->
                admin
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace("strata")
                        .list()
                        .getItems()
                        .size()
                    == 2);

    admin
        .nodes()
        .withName("node-1")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("strata.io/shelf", "s1");
              return n;
            });

    await("the bad label in the health check")
        .atMost(TestFleet.TIMEOUT)
        .until(() -> !kubernetesHealth().get("healthy").asBoolean());
    assertThat(kubernetesHealth().get("message").asText())
        .contains("node 'node-1'", "strata.io/shelf");
    assertThat(parentOf("node-1")).as("kept where it was").isEqualTo("rack-b");
  }
}
