package io.strata.controller.zookeeper;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.runtime.DaemonScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each agent was last heard, shared between the controller replicas in batches. Every {@code
 * flushInterval}, a replica writes when it last received a heartbeat from each agent that sends it
 * heartbeats, in znodes of at most {@link #CHUNK_BYTES} under {@link ZkPaths#AGENTS_SEEN}, and
 * every replica follows them all. So the fleet's heartbeats cost ZooKeeper a few writes per flush
 * rather than one per heartbeat, and another replica learns of a heartbeat at most one flush late.
 *
 * <p>Thread-safe. Must be started and stopped once.
 */
final class AgentLiveness implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLiveness.class);

  /** At most this much of one replica's batch per znode (the design keeps znodes under 512 KiB). */
  static final int CHUNK_BYTES = 256 * 1024;

  private static final TypeReference<Map<String, Long>> BATCH = new TypeReference<>() {};

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final Clock clock;
  private final String replicaId;
  private final Duration flushInterval;
  private final Duration forgetAfter;
  private final Map<String, Instant> heardHere = new ConcurrentHashMap<>();
  private final Map<String, Instant> heardAnywhere = new ConcurrentHashMap<>();
  private volatile boolean changed;
  private int chunksWritten;
  private CuratorCache cache;
  private ScheduledExecutorService flusher;

  /**
   * @param flushInterval how often this replica writes what it heard
   * @param forgetAfter an agent not heard for this long leaves this replica's batch (it went to
   *     another replica, or away); the others keep what they last read of it
   */
  AgentLiveness(
      CuratorFramework curator,
      ObjectMapper json,
      Clock clock,
      String replicaId,
      Duration flushInterval,
      Duration forgetAfter) {
    this.curator = curator;
    this.json = json;
    this.clock = clock;
    this.replicaId = replicaId;
    this.flushInterval = flushInterval;
    this.forgetAfter = forgetAfter;
  }

  @Override
  public synchronized void start() throws Exception {
    curator.create().orSetData().creatingParentsIfNeeded().forPath(ZkPaths.AGENTS_SEEN);
    cache = CuratorCache.build(curator, ZkPaths.AGENTS_SEEN);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> read(after))
                .build());
    cache.start();
    flusher = DaemonScheduler.named("agent-liveness");
    flusher.scheduleWithFixedDelay(
        this::flushQuietly,
        flushInterval.toMillis(),
        flushInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (flusher != null) {
      flusher.shutdownNow();
      flusher.awaitTermination(10, TimeUnit.SECONDS);
      flusher = null;
    }
    if (cache != null) {
      cache.close();
      cache = null;
    }
  }

  /** A heartbeat from {@code agentId} reached this replica at {@code at}. */
  void heard(String agentId, Instant at) {
    heardHere.put(agentId, at);
    heardAnywhere.merge(agentId, at, AgentLiveness::later);
    changed = true;
  }

  /** When any replica last heard {@code agentId}, as far as this one knows. */
  Optional<Instant> lastHeard(String agentId) {
    return Optional.ofNullable(heardAnywhere.get(agentId));
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (Exception e) {
      // ZooKeeper away: the next flush writes everything heard by then.
      changed = true;
      LOG.warn("cannot share when agents were last heard: {}", e.toString());
    }
  }

  /** Writes this replica's batch when anything was heard since the last write. */
  synchronized void flush() throws Exception {
    if (!changed) {
      return;
    }
    changed = false;
    Instant oldest = clock.instant().minus(forgetAfter);
    heardHere.values().removeIf(at -> at.isBefore(oldest));
    Map<String, Long> chunk = new TreeMap<>();
    int bytes = 0;
    int written = 0;
    for (Map.Entry<String, Instant> e : new TreeMap<>(heardHere).entrySet()) {
      int entryBytes = e.getKey().getBytes(StandardCharsets.UTF_8).length + 24;
      if (bytes + entryBytes > CHUNK_BYTES && !chunk.isEmpty()) {
        write(written++, chunk);
        chunk = new TreeMap<>();
        bytes = 0;
      }
      chunk.put(e.getKey(), e.getValue().toEpochMilli());
      bytes += entryBytes;
    }
    if (!chunk.isEmpty()) {
      write(written++, chunk);
    }
    for (int stale = written; stale < chunksWritten; stale++) {
      curator.delete().quietly().forPath(ZkPaths.agentsSeen(replicaId, stale));
    }
    chunksWritten = written;
  }

  private void write(int chunk, Map<String, Long> heard) throws Exception {
    Znodes.write(curator, ZkPaths.agentsSeen(replicaId, chunk), json.writeValueAsBytes(heard));
  }

  private void read(ChildData data) {
    if (data.getPath().equals(ZkPaths.AGENTS_SEEN)
        || data.getData() == null
        || data.getData().length == 0) {
      return;
    }
    try {
      Map<String, Long> heard = json.readValue(data.getData(), BATCH);
      heard.forEach(
          (agent, at) ->
              heardAnywhere.merge(agent, Instant.ofEpochMilli(at), AgentLiveness::later));
    } catch (Exception e) {
      LOG.warn("ignoring unreadable batch {}: {}", data.getPath(), e.getMessage());
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
