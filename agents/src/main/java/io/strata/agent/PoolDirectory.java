package io.strata.agent;

import io.strata.agent.mover.PoolEndpoint;
import io.strata.agent.mover.PoolRegistry;
import io.strata.protocol.heartbeat.PoolAddress;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.topology.ObjectLock;
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
 * the pool unknown, and its tasks fail with that reason. Whether a pool locks the copies written to
 * it (S3 object lock) is the cluster map's word, learned for configured pools too. Thread-safe.
 */
public final class PoolDirectory implements PoolRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PoolDirectory.class);

  private final Map<String, PoolEndpoint> configured;
  private final Map<String, PoolEndpoint> learned = new ConcurrentHashMap<>();
  private final Map<String, ObjectLock> locks = new ConcurrentHashMap<>();
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
    if (known == null) {
      known = learned.get(poolId);
    }
    ObjectLock lock = locks.get(poolId);
    return Optional.ofNullable(known == null || lock == null ? known : known.locking(lock));
  }

  /** Learns the pools the controller named that the configuration does not have. */
  public void learn(Map<String, PoolAddress> pools) {
    pools.forEach(
        (id, address) -> {
          ObjectLock lock = ObjectLock.parse(address.objectLock()).orElse(null);
          if (lock == null) {
            LOG.warn("pool {}: unknown object lock '{}', ignored", id, address.objectLock());
          } else if (locks.put(id, lock) != lock && lock != ObjectLock.NONE) {
            LOG.info("pool {} locks the copies written to it in {} mode", id, lock.label());
          }
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
