package io.strata.controller.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Errors of the Kubernetes API in words an operator can act on. */
class KubernetesErrorsTest {
  private static final String SERVER = "https://10.96.0.1:443/";

  @Test
  void aRefusalNamesTheMissingPermissionAndTheRoleToGrant() {
    String message =
        KubernetesErrors.describe(
            "list and watch nodes", SERVER, new KubernetesClientException("forbidden", 403, null));
    assertThat(message)
        .contains("may not list and watch nodes", "403", "RBAC", "deploy/kubernetes/strata.yaml");
  }

  @Test
  void anUnreachableServerNamesTheAddressTried() {
    String message =
        KubernetesErrors.describe(
            "list and watch nodes",
            SERVER,
            new KubernetesClientException("failed", new ConnectException("Connection refused")));
    assertThat(message)
        .isEqualTo(
            "cannot reach the Kubernetes API at https://10.96.0.1:443/ to list and watch nodes:"
                + " ConnectException Connection refused");
  }

  @Test
  void anErrorOfOursIsNotBlamedOnTheServer() {
    String message =
        KubernetesErrors.describe(
            "keep the agents' budgets", SERVER, new IllegalStateException("no leader"));
    assertThat(message)
        .isEqualTo("could not keep the agents' budgets: IllegalStateException no leader");
  }
}
