package io.strata.agent;

import io.strata.agent.mover.PoolEndpoint;
import io.strata.agent.mover.PoolRegistry;
import io.strata.protocol.heartbeat.PoolAddress;
import io.strata.runtime.s3.PoolCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools an agent can reach: those of its configuration, and those the controller named in
 * heartbeat answers (a pool added to the fleet after the agent started). Credentials of learned
 * pools are resolved on this node from their reference; a reference that does not resolve leaves
 * the pool unknown, and its tasks fail with that reason. Thread-safe.
 */
public final class PoolDirectory implements PoolRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PoolDirectory.class);

  private final Map<String, PoolEndpoint> configured;
  private final Map<String, PoolEndpoint> learned = new ConcurrentHashMap<>();
  private final Path credentialsDir;
  private final Map<String, String> env;

  public PoolDirectory(
      Map<String, PoolEndpoint> configured, Path credentialsDir, Map<String, String> env) {
    this.configured = Map.copyOf(configured);
    this.credentialsDir = credentialsDir;
    this.env = env;
  }

  @Override
  public Optional<PoolEndpoint> find(String poolId) {
    PoolEndpoint known = configured.get(poolId);
    return Optional.ofNullable(known != null ? known : learned.get(poolId));
  }

  /** Learns the pools the controller named that the configuration does not have. */
  public void learn(Map<String, PoolAddress> pools) {
    pools.forEach(
        (id, address) -> {
          if (configured.containsKey(id) || learned.containsKey(id)) {
            return;
          }
          try {
            PoolCredentials keys =
                PoolCredentials.resolve(address.credentials(), credentialsDir, env);
            learned.put(
                id,
                new PoolEndpoint(
                    id, URI.create(address.endpoint()), keys.accessKey(), keys.secretKey()));
            LOG.info("learned pool {} at {}", id, address.endpoint());
          } catch (IllegalArgumentException e) {
            LOG.warn("cannot use pool {}: {}", id, e.getMessage());
          }
        });
  }
}
