package io.strata.controller.http;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Set;

/** What resources that record who asked, and for which dataset, check the same way. */
final class Callers {
  private Callers() {}

  /** The authenticated caller's name; {@code unknown} when there is none. */
  static String who(SecurityContext security) {
    return security == null || security.getUserPrincipal() == null
        ? "unknown"
        : security.getUserPrincipal().getName();
  }

  /** A 404 naming {@code dataset} and the datasets this controller keeps, unless it is one. */
  static void knownDataset(Set<String> datasets, String dataset) {
    if (!datasets.contains(dataset)) {
      throw new NotFoundException(
          "no dataset '"
              + dataset
              + "' on this controller (its datasets: "
              + String.join(", ", datasets)
              + ")");
    }
  }
}
