package io.strata.controller.reconcile;

import java.time.Instant;
import java.util.Set;

/**
 * What the platform knows of the storage nodes before their agents' leases run out: on Kubernetes,
 * the nodes it reports {@code NotReady}. Implementations are thread-safe.
 */
@FunctionalInterface
public interface NodeConditions {
  /** No platform: only leases tell. */
  NodeConditions NONE = now -> Set.of();

  /** The nodes known down at {@code now}, past their grace period, by name. */
  Set<String> nodesDown(Instant now);
}
