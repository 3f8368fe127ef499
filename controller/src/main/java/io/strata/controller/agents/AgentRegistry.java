package io.strata.controller.agents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.agent.api.Heartbeat;
import io.strata.controller.zookeeper.ZkPaths;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents of the fleet. Any replica accepts a heartbeat and writes it to ZooKeeper under {@link
 * ZkPaths#AGENTS}; every replica follows that folder with a cache, so each sees every agent
 * whichever replica it talks to.
 *
 * <p>An agent's state is derived, not stored: it is {@code DOWN} when its last heartbeat is older
 * than the lease by the controller's clock. Nothing has to run for an agent to be marked down, and
 * a controller fail-over cannot lose the mark.
 *
 * <p>Scale note: one znode write per heartbeat suits hundreds of agents. The design's 50,000 agents
 * need followers to aggregate heartbeats and write only changes (issue of its own).
 */
public final class AgentRegistry implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRegistry.class);

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration lease;
  private final Map<String, AgentRecord> agents = new ConcurrentHashMap<>();
  private CuratorCache cache;

  public AgentRegistry(CuratorFramework curator, ObjectMapper json, Clock clock, Duration lease) {
    this.curator = curator;
    this.json = json;
    this.clock = clock;
    this.lease = lease;
  }

  @Override
  public void start() throws Exception {
    curator.create().orSetData().creatingParentsIfNeeded().forPath(ZkPaths.AGENTS);
    cache = CuratorCache.build(curator, ZkPaths.AGENTS);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> remember(after))
                .forInitialized(() -> LOG.info("{} agents known", agents.size()))
                .forDeletes(
                    gone ->
                        agents.remove(
                            gone.getPath().substring(gone.getPath().lastIndexOf('/') + 1)))
                .build());
    cache.start();
  }

  @Override
  public void stop() {
    if (cache != null) {
      cache.close();
    }
  }

  private void remember(ChildData data) {
    String path = data.getPath();
    if (path.equals(ZkPaths.AGENTS) || data.getData() == null || data.getData().length == 0) {
      return;
    }
    try {
      AgentRecord record = json.readValue(data.getData(), AgentRecord.class);
      agents.merge(
          record.heartbeat().agentId(),
          record,
          (old, next) -> next.receivedAt().isBefore(old.receivedAt()) ? old : next);
    } catch (IOException e) {
      LOG.warn("ignoring unreadable agent record {}: {}", path, e.getMessage());
    }
  }

  /**
   * Records a heartbeat, without its task results: those are the leader's to record ({@link
   * io.strata.controller.reconcile.Reconciler#onHeartbeat}), and the agent sends them again until
   * the leader acknowledges them. So the record stays small whatever the agent finished; a znode
   * holds at most 1 MiB (ZooKeeper's jute.maxbuffer), and a write beyond it would fail every
   * heartbeat of the agent. Idempotent for a repeated heartbeat.
   *
   * @throws Exception when ZooKeeper cannot be written; the agent retries on its next beat
   */
  public AgentRecord heartbeat(Heartbeat beat) throws Exception {
    Instant now = clock.instant();
    AgentRecord previous = agents.get(beat.agentId());
    AgentRecord record =
        new AgentRecord(beat.withoutResults(), now, previous == null ? now : previous.firstSeen());
    byte[] data = json.writeValueAsBytes(record);
    curator
        .create()
        .orSetData()
        .creatingParentsIfNeeded()
        .forPath(ZkPaths.agent(beat.agentId()), data);
    if (previous == null) {
      LOG.info("agent {} registered from node {}", beat.agentId(), beat.node());
    } else if (stateOf(previous, now) == AgentState.DOWN) {
      LOG.info(
          "agent {} is back after {}",
          beat.agentId(),
          Duration.between(previous.receivedAt(), now));
    }
    agents.put(beat.agentId(), record);
    return record;
  }

  /** The state of one agent now. */
  public AgentState stateOf(AgentRecord record, Instant now) {
    return record.receivedAt().plus(lease).isBefore(now) ? AgentState.DOWN : AgentState.UP;
  }

  /** Every known agent with its state now, sorted by id. */
  public List<AgentView> list() {
    Instant now = clock.instant();
    List<AgentView> out = new ArrayList<>();
    for (AgentRecord r : agents.values()) {
      out.add(AgentView.of(r, stateOf(r, now)));
    }
    out.sort(Comparator.comparing(AgentView::id));
    return out;
  }

  public Optional<AgentView> get(String agentId) {
    AgentRecord r = agents.get(agentId);
    return r == null ? Optional.empty() : Optional.of(AgentView.of(r, stateOf(r, clock.instant())));
  }

  public Duration lease() {
    return lease;
  }
}
