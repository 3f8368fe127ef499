package io.strata.controller.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Errors of the Kubernetes API in words an operator can act on. */
final class KubernetesErrors {
  private KubernetesErrors() {}

  /**
   * What went wrong doing {@code what} against {@code server}: a refusal for want of a permission
   * names the RBAC rules to grant; an unreachable server names the address tried.
   */
  static String describe(String what, String server, Throwable error) {
    KubernetesClientException api = null;
    for (Throwable t = error; t != null && api == null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        api = k;
      }
    }
    int code = api == null ? 0 : api.getCode();
    if (code == 401) {
      return "the Kubernetes API at "
          + server
          + " does not accept the controller's credentials"
          + " (401) to "
          + what;
    }
    if (code == 403) {
      return "the controller's service account may not "
          + what
          + " (403 Forbidden); grant it the RBAC rules of the strata-controller role in"
          + " deploy/kubernetes/strata.yaml";
    }
    if (code > 0) {
      return "the Kubernetes API at "
          + server
          + " refused to "
          + what
          + " ("
          + code
          + "): "
          + api.getMessage();
    }
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (api == null && !(root instanceof java.io.IOException)) {
      return "could not "
          + what
          + ": "
          + root.getClass().getSimpleName()
          + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
    return "cannot reach the Kubernetes API at "
        + server
        + " to "
        + what
        + ": "
        + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }
}
