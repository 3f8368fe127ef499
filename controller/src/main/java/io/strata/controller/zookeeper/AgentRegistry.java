package io.strata.controller.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.fleet.view.AgentRecord;
import io.strata.fleet.view.AgentRecords;
import io.strata.fleet.view.AgentState;
import io.strata.fleet.view.AgentView;
import io.strata.protocol.heartbeat.Heartbeat;
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
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents of the fleet. Any replica accepts a heartbeat; every replica follows the agents'
 * records under {@link ZkPaths#AGENTS} and when each was last heard ({@link AgentLiveness}), so
 * each sees every agent whichever replica it talks to.
 *
 * <p>An agent's state is derived, not stored: it is {@code DOWN} when its last heartbeat is older
 * than the lease by the controller's clock. Nothing has to run for an agent to be marked down, and
 * a controller fail-over cannot lose the mark.
 *
 * <p>Scale: the design's 50,000 agents send 5,000 heartbeats a second. A heartbeat writes the
 * agent's record to ZooKeeper only when something other than its counters changed (its node,
 * drives, data paths, pools and their census, software), or when the stored record is older than
 * {@link #refreshAfter} (5 minutes, longer in a fleet so large that refreshes would take more than
 * {@link #REFRESHES_PER_SECOND} writes a second); when it was heard travels in the batches of
 * {@link AgentLiveness}. The replica that takes an agent's heartbeats always holds its latest
 * record; the others hold its usage counters at most that old, and its state at most one flush
 * late.
 */
public final class AgentRegistry implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRegistry.class);

  /** The longest a stored record goes without a write, so its usage counters stay recent. */
  public static final Duration RECORD_REFRESH = Duration.ofMinutes(5);

  /**
   * The most writes a second the fleet's agents take for refreshing records that did not change: at
   * 50,000 agents a 5-minute refresh would be 167 writes a second of records of a few KiB, each
   * read again by every replica's cache (a run of the fleet simulator at that size showed them as
   * most of its ZooKeeper transactions and of the leader's CPU).
   */
  static final int REFRESHES_PER_SECOND = 20;

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration lease;
  private final AgentLiveness liveness;
  private final Map<String, AgentRecord> agents = new ConcurrentHashMap<>();
  private final Map<String, AgentRecord> written = new ConcurrentHashMap<>();
  private CuratorCache cache;

  /**
   * @param replicaId this controller replica, whose batch of agents heard it writes
   */
  public AgentRegistry(
      CuratorFramework curator, ObjectMapper json, Clock clock, Duration lease, String replicaId) {
    this.curator = curator;
    this.json = json;
    this.clock = clock;
    this.lease = lease;
    this.liveness =
        new AgentLiveness(
            curator, json, clock, replicaId, flushInterval(lease), lease.multipliedBy(2));
  }

  /**
   * How old a stored record may grow before a heartbeat of counters only writes it again: {@link
   * #RECORD_REFRESH}, or as long as {@code agents} records take at {@link #REFRESHES_PER_SECOND}
   * (about 42 minutes at 50,000 agents).
   */
  static Duration refreshAfter(int agents) {
    Duration spread = Duration.ofSeconds(agents / REFRESHES_PER_SECOND);
    return spread.compareTo(RECORD_REFRESH) > 0 ? spread : RECORD_REFRESH;
  }

  /**
   * A sixth of the lease, between 100 ms and 5 s: an agent is never shown down for a late flush.
   */
  static Duration flushInterval(Duration lease) {
    Duration sixth = lease.dividedBy(6);
    Duration min = Duration.ofMillis(100);
    Duration max = Duration.ofSeconds(5);
    return sixth.compareTo(min) < 0 ? min : sixth.compareTo(max) > 0 ? max : sixth;
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
                    gone -> drop(gone.getPath().substring(gone.getPath().lastIndexOf('/') + 1)))
                .build());
    cache.start();
    liveness.start();
  }

  @Override
  public void stop() throws InterruptedException {
    liveness.stop();
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
      String id = record.heartbeat().agentId();
      agents.merge(id, record, AgentRegistry::newer);
      // What is stored, whichever replica wrote it: a new leader writes only what changed.
      written.merge(id, record, AgentRegistry::newer);
    } catch (IOException e) {
      LOG.warn("ignoring unreadable agent record {}: {}", path, e.getMessage());
    }
  }

  /**
   * Records a heartbeat, without its task results: those are the leader's to record ({@link
   * io.strata.controller.reconcile.Reconciler#onHeartbeat}), and the agent sends them again until
   * the leader acknowledges them. So the record stays small whatever the agent finished; a znode
   * holds at most 1 MiB (ZooKeeper's jute.maxbuffer), and a write beyond it would fail every
   * heartbeat of the agent. Writes the record to ZooKeeper only when it changed beyond its counters
   * or the stored one is older than {@link #refreshAfter}. Idempotent for a repeated heartbeat.
   *
   * @throws Exception when ZooKeeper cannot be written; the agent retries on its next beat
   */
  public AgentRecord heartbeat(Heartbeat beat) throws Exception {
    Instant now = clock.instant();
    AgentRecord previous = agents.get(beat.agentId());
    AgentRecord record =
        new AgentRecord(beat.withoutResults(), now, previous == null ? now : previous.firstSeen());
    AgentRecord stored = written.get(beat.agentId());
    if (stored == null
        || !AgentRecords.sameBeyondCounters(stored.heartbeat(), record.heartbeat())
        || stored.receivedAt().plus(refreshAfter(agents.size())).isBefore(now)) {
      Znodes.write(curator, ZkPaths.agent(beat.agentId()), json.writeValueAsBytes(record));
      written.put(beat.agentId(), record);
    }
    if (previous == null) {
      LOG.info("agent {} registered from node {}", beat.agentId(), beat.node());
    } else {
      AgentRecord last = current(previous);
      if (stateOf(last, now) == AgentState.DOWN) {
        LOG.info(
            "agent {} is back after {}", beat.agentId(), Duration.between(last.receivedAt(), now));
      }
    }
    agents.put(beat.agentId(), record);
    liveness.heard(beat.agentId(), now);
    return record;
  }

  /** What {@link #forget} did. */
  public enum Forgotten {
    /** The record is deleted on every replica. */
    FORGOTTEN,
    /** No such agent. */
    UNKNOWN,
    /** The agent is up: it would only register again. */
    UP
  }

  /**
   * Forgets an agent that is down for good (its node retired): its record leaves ZooKeeper and
   * every replica, and with it its line in the API, the console and the metrics, and the alert on
   * it. Should it beat again, it registers anew. Refused while the agent is up.
   *
   * @throws Exception when ZooKeeper cannot be written
   */
  public Forgotten forget(String agentId) throws Exception {
    AgentRecord record = agents.get(agentId);
    if (record == null) {
      return Forgotten.UNKNOWN;
    }
    if (stateOf(current(record), clock.instant()) == AgentState.UP) {
      return Forgotten.UP;
    }
    try {
      curator.delete().forPath(ZkPaths.agent(agentId));
    } catch (KeeperException.NoNodeException gone) {
      // Forgotten by another replica meanwhile.
    }
    drop(agentId);
    LOG.info("agent {} forgotten", agentId);
    return Forgotten.FORGOTTEN;
  }

  /**
   * Forgets an agent whose record left ZooKeeper, here at once (on the replica that deleted it) or
   * when the cache sees the delete: also what was written for it, so that the agent, should it come
   * back, is written again for all.
   */
  private void drop(String agentId) {
    agents.remove(agentId);
    written.remove(agentId);
  }

  private static AgentRecord newer(AgentRecord old, AgentRecord next) {
    return next.receivedAt().isBefore(old.receivedAt()) ? old : next;
  }

  /** {@code r} with the latest time any replica heard its agent. */
  private AgentRecord current(AgentRecord r) {
    Instant heard = liveness.lastHeard(r.heartbeat().agentId()).orElse(r.receivedAt());
    return heard.isAfter(r.receivedAt()) ? new AgentRecord(r.heartbeat(), heard, r.firstSeen()) : r;
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
      out.add(view(r, now));
    }
    out.sort(Comparator.comparing(AgentView::id));
    return out;
  }

  public Optional<AgentView> get(String agentId) {
    AgentRecord r = agents.get(agentId);
    return r == null ? Optional.empty() : Optional.of(view(r, clock.instant()));
  }

  /** The agent as any replica last heard it, with its state at {@code now}. */
  private AgentView view(AgentRecord r, Instant now) {
    AgentRecord current = current(r);
    return AgentView.of(current, stateOf(current, now));
  }

  public Duration lease() {
    return lease;
  }
}
