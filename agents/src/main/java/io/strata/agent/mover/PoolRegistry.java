package io.strata.agent.mover;

import java.util.Map;
import java.util.Optional;

/**
 * Resolves pool ids to endpoints and credentials. The agent backs it with what the controller sends
 * and the node's secret store; implementations must be thread-safe.
 */
@FunctionalInterface
public interface PoolRegistry {

  /** The pool's endpoint, or empty when the id is unknown to this agent. */
  Optional<PoolEndpoint> find(String poolId);

  /** A fixed registry over the given endpoints. */
  static PoolRegistry of(Map<String, PoolEndpoint> pools) {
    Map<String, PoolEndpoint> copy = Map.copyOf(pools);
    return id -> Optional.ofNullable(copy.get(id));
  }
}
