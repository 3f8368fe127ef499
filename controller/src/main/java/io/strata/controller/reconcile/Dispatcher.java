package io.strata.controller.reconcile;

import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.controller.zookeeper.ExpiryStore;
import io.strata.controller.zookeeper.ShardStore;
import io.strata.controller.zookeeper.TaskQueue;
import io.strata.fleet.reconcile.PoolScan;
import io.strata.fleet.reconcile.PoolViews;
import io.strata.fleet.reconcile.ReconcileSettings;
import io.strata.fleet.reconcile.ReconcileStats;
import io.strata.fleet.reconcile.RoundQueue;
import io.strata.fleet.reconcile.Scrubs;
import io.strata.fleet.reconcile.Shard;
import io.strata.fleet.reconcile.ShardSplits;
import io.strata.fleet.reconcile.Sweeps;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.model.StoragePolicy;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import io.strata.protocol.heartbeat.PoolAddress;
import io.strata.protocol.heartbeat.PoolReport;
import io.strata.protocol.task.CopyEncryption;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskProgress;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.TaskType;
import io.strata.topology.ClusterMap;
import io.strata.topology.ObjectLock;
import io.strata.topology.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of the agents' heartbeats, for tasks: it records the results they carry (what
 * scans found, scrubs and repairs, failures to retry), renews the leases of the tasks they run,
 * names the ones to stop, and leases them new ones. A result counts once (a result sent twice is
 * acknowledged and ignored), and a failure counts only from the agent holding the task.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final TaskQueue queue;
  private final ClusterMapStore maps;
  private final ShardStore shards;
  private final PoolViews views;
  private final Scrubs scrubs;
  private final ReconcileStats stats;
  private final ReconcileSettings settings;
  private final Clock clock;
  private final Supplier<PolicySet> policies;
  private final ExpiryStore expiries;
  private final boolean retainUntil;
  private final Runnable restored;

  /**
   * Expiry deletion tasks whose result is in a tally written but not recorded yet, as agent id and
   * task id: a result whose recording failed after the tally was written is sent again by its agent
   * and not counted twice, while another agent's run of the task, once its lease lapsed, counts
   * what it deleted. Cleared when the replica leads anew ({@link #newTerm}).
   */
  private final Set<String> tallied = ConcurrentHashMap.newKeySet();

  private volatile EncryptionMemo encryptionMemo =
      new EncryptionMemo(null, new ConcurrentHashMap<>());

  /**
   * @param policies the policies in force, whose server-side encryption the copies of their
   *     datasets ask
   * @param expiries where what approved expiries destroyed is counted
   * @param retainUntil whether copies carry the retain-until dates the planner gave them: not when
   *     objects age on a clock faster than real time (the demo's), whose dates agents and pools, on
   *     real time, would hold far too long
   * @param restored told when a copy that restored missing copies has landed (see {@link
   *     Reconciler#roundSoon})
   */
  Dispatcher(
      Supplier<PolicySet> policies,
      TaskQueue queue,
      ClusterMapStore maps,
      ShardStore shards,
      PoolViews views,
      Scrubs scrubs,
      ReconcileStats stats,
      ReconcileSettings settings,
      Clock clock,
      ExpiryStore expiries,
      boolean retainUntil,
      Runnable restored) {
    this.restored = restored;
    this.expiries = expiries;
    this.retainUntil = retainUntil;
    this.policies = policies;
    this.queue = queue;
    this.maps = maps;
    this.shards = shards;
    this.views = views;
    this.scrubs = scrubs;
    this.stats = stats;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Records the heartbeat's results, renews the leases of the tasks it reports running, names those
   * to stop, and leases new ones. Called on the leader only.
   */
  Dispatch onHeartbeat(Heartbeat beat) throws Exception {
    Instant now = clock.instant();
    List<String> acknowledged = new ArrayList<>();
    tally(List.of(beat));
    for (TaskResult result : beat.results()) {
      record(result, beat.agentId(), now);
      tallied.remove(beat.agentId() + "/" + result.taskId());
      acknowledged.add(result.taskId());
    }
    Set<String> running = new HashSet<>();
    for (TaskProgress p : beat.progress()) {
      if (p.state() == TaskState.RUNNING || p.state() == TaskState.QUEUED) {
        running.add(p.taskId());
      }
    }
    queue.renew(beat.agentId(), running, now, settings.taskLease());
    List<String> stop = queue.toStop(beat.agentId(), running);
    Set<String> served = new HashSet<>();
    for (PoolReport report : beat.pools()) {
      if (report.reachable()) {
        served.add(report.pool());
      }
    }
    // Tasks told to stop still hold their place until the agent reports them stopped.
    int room = settings.tasksPerAgent() - running.size();
    List<Task> leased =
        queue.lease(beat.agentId(), served, room, now, settings.taskLease()).stream()
            .map(this::encrypted)
            .map(this::retained)
            .toList();
    return new Dispatch(leased, acknowledged, stop, addresses(leased));
  }

  /**
   * A copy as its agent runs it: asking the server-side encryption of the policies that claim its
   * dataset, as they are in force when it is leased (policies that claim a dataset in common ask
   * the same, or are refused as a set). Other tasks, and copies of datasets whose policies ask
   * none, are as queued.
   */
  private Task encrypted(Task task) {
    if (task.type() != TaskType.COPY) {
      return task;
    }
    return encryptionOf(task.dataset()).map(task::withEncryption).orElse(task);
  }

  /** A copy as its agent runs it: without its retain-until dates when copies carry none. */
  private Task retained(Task task) {
    return retainUntil || task.retainUntil() == null ? task : task.withRetainUntil(null);
  }

  /**
   * The encryption the policies in force ask of a dataset's copies, asked of the policy set once
   * per dataset while that set is in force: a heartbeat leases copies on the request's path, and
   * asking each copy would scan every policy's patterns. The memo is dropped with the set it was
   * read from; it holds one entry per dataset that has copies queued.
   */
  private Optional<CopyEncryption> encryptionOf(String dataset) {
    PolicySet set = policies.get();
    EncryptionMemo memo = encryptionMemo;
    if (memo.set() != set) {
      memo = new EncryptionMemo(set, new ConcurrentHashMap<>());
      encryptionMemo = memo;
    }
    return memo.byDataset()
        .computeIfAbsent(
            dataset,
            d ->
                set.claiming(d).stream()
                    .map(StoragePolicy::encryption)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .map(e -> new CopyEncryption(e.type().label(), e.keyId())));
  }

  private record EncryptionMemo(
      PolicySet set, ConcurrentHashMap<String, Optional<CopyEncryption>> byDataset) {}

  /**
   * Where a pool is, and whether it locks the copies written to it: agents take the lock from here,
   * for the pools of their own configuration too.
   */
  static PoolAddress address(Pool pool) {
    return new PoolAddress(
        pool.endpoint(),
        pool.credentialsRef(),
        pool.objectLock() == ObjectLock.NONE ? null : pool.objectLock().label());
  }

  /** Where the pools the tasks name are: agents reach pools added after they started. */
  private Map<String, PoolAddress> addresses(List<Task> tasks) {
    ClusterMap map = maps.current();
    Map<String, PoolAddress> out = new HashMap<>();
    for (Task task : tasks) {
      Set<String> ids = new HashSet<>();
      ids.add(task.sourcePool());
      if (task.targetPool() != null) {
        ids.add(task.targetPool());
      }
      if (task.proof() != null) {
        task.proof().copies().values().forEach(cs -> cs.forEach(c -> ids.add(c.pool())));
      }
      for (String id : ids) {
        map.pool(id).ifPresent(p -> out.put(id, address(p)));
      }
    }
    return out;
  }

  /**
   * What a heartbeat hands to an agent.
   *
   * @param tasks the tasks leased to it
   * @param acknowledged the results recorded
   * @param cancel running tasks the agent must stop
   * @param pools where the pools the tasks name are
   */
  public record Dispatch(
      List<Task> tasks,
      List<String> acknowledged,
      List<String> cancel,
      Map<String, PoolAddress> pools) {
    /** The agent's answer: this dispatch with the lease and map epoch. */
    public HeartbeatResponse answer(long leaseSeconds, long mapEpoch) {
      return new HeartbeatResponse(
          leaseSeconds, mapEpoch, null, tasks, acknowledged, cancel, pools);
    }
  }

  /** The replica leads anew: no result of the queue it loads is in a tally yet. */
  void newTerm() {
    tallied.clear();
  }

  /**
   * Adds what the heartbeats' expiry deletions destroyed to their expiries' tallies (for their
   * certificates): one compare-and-set per expiry for a heartbeat, or for a relayed batch of them,
   * where one per result cost a read and a write each on the heartbeat's path. Written before any
   * of the results is recorded, hence before its task leaves the queue and before the agent is told
   * it was: a leader that dies in between leaves the tasks queued and the results unacknowledged,
   * so that no deletion goes uncounted. Counting after the tasks left the queue, or once a round
   * from memory, would lose the counts of results acknowledged before a leader died, as a result
   * sent again finds its task gone. A result whose recording fails after the tally is not counted
   * again when sent again ({@link #tallied}); only a leader dying in that window can count one
   * twice, and a re-run of its task finds its deletions absent.
   */
  void tally(List<Heartbeat> beats) throws Exception {
    Map<String, Map<String, long[]>> byExpiry = new TreeMap<>();
    Map<String, List<String>> claimed = new HashMap<>();
    for (Heartbeat beat : beats) {
      for (TaskResult result : beat.results()) {
        String claim = beat.agentId() + "/" + result.taskId();
        var queued = queue.get(result.taskId());
        if (queued.isEmpty()) {
          continue; // Already recorded (a result sent twice), or from another leader's term.
        }
        Task task = queued.get().task();
        KeyTally.Count deleted = result.counts().get(KeyStatus.DELETED);
        if (task.type() != TaskType.DELETE_COPY
            || task.proof() == null
            || task.proof().expiry() == null
            || deleted == null
            || deleted.keys() == 0
            || !tallied.add(claim)) {
          continue;
        }
        claimed.computeIfAbsent(task.proof().expiry(), e -> new ArrayList<>()).add(claim);
        long[] v =
            byExpiry
                .computeIfAbsent(task.proof().expiry(), e -> new TreeMap<>())
                .computeIfAbsent(task.sourcePool(), pool -> new long[2]);
        v[0] += deleted.keys();
        v[1] += deleted.bytes();
      }
    }
    for (var e : byExpiry.entrySet()) {
      try {
        expiries.count(e.getKey(), e.getValue());
      } catch (Exception failed) {
        // Nothing is recorded and the agents send the results again: those of the expiries not
        // written yet are counted then, those written already stay claimed.
        byExpiry.keySet().stream()
            .filter(id -> id.compareTo(e.getKey()) >= 0)
            .forEach(id -> claimed.get(id).forEach(tallied::remove));
        throw failed;
      }
    }
  }

  private void record(TaskResult result, String agentId, Instant now) throws Exception {
    var queued = queue.get(result.taskId());
    if (queued.isEmpty()) {
      return; // Already recorded (a result sent twice), or from another leader's term.
    }
    Task task = queued.get().task();
    boolean holder = !queued.get().leased() || agentId.equals(queued.get().agent());
    // A scan of the whole key space is a sweep: it tells every shard's view of the pool at once.
    boolean sweep = task.type() == TaskType.SCAN && task.range().equals(KeyRange.ALL);
    // Null once the shard was split: its halves are scanned afresh.
    Shard shard = sweep ? null : shards.find(task.dataset(), task.range()).orElse(null);
    if (shard != null) {
      // A copy, delete or scrub may have changed or read differently what the pool holds, even
      // one that failed or was cancelled part way: its pool's scan is stale, unless the task's
      // result tells for every key it named what it left there.
      switch (task.type()) {
        case COPY -> {
          // A voluntary copy's target is scanned, as before: counted at once, the new copy would
          // add to the stored bytes the misplaced cap is a share of, while the copy it replaces
          // waits for its deletion, and let more voluntary movement in than the cap allows.
          if (RoundQueue.isVoluntary(queued.get().priority())
              || !patchedByCopy(shard, task, result, now)) {
            views.markStale(shard, task.targetPool(), now);
          }
        }
        case DELETE_COPY -> {
          if (!patchedByDelete(shard, task, result, now)) {
            views.markStale(shard, task.sourcePool(), now);
          }
        }
        case VERIFY -> views.markStale(shard, task.sourcePool(), now);
        case SCAN -> {}
      }
    }
    if (result.state() != TaskState.SUCCEEDED && !holder) {
      // It ran on past a lapsed lease and was told to stop; the agent holding it now reports.
      LOG.info("task {} {} on {}, which no longer holds it", task.id(), result.state(), agentId);
      return;
    }
    if (result.state() != TaskState.SUCCEEDED) {
      LOG.info(
          "task {} {} on {}: {}", task.id(), result.state(), task.sourcePool(), result.failure());
      if (queued.get().cancelling()) {
        queue.complete(task.id()); // Asked to stop: failed or stopped, it is not tried again.
      } else if (task.type() == TaskType.DELETE_COPY && task.epoch() < maps.current().epoch()) {
        // Its proof holds at the epoch it was issued at, and agents refuse it at any later one:
        // tried again as issued it would only fail again. The next round plans it anew if needed.
        queue.complete(task.id());
      } else if (result.state() == TaskState.FAILED) {
        queue.failed(task.id(), now);
      } else {
        queue.release(task.id()); // Its agent stopped it unasked (shutting down).
      }
      return;
    }
    stats.taskDone(result, queued.get().priority());
    if (sweep) {
      swept(task, queued.get().createdAt(), result, now);
    }
    if (shard != null) {
      switch (task.type()) {
        case SCAN -> {
          Map<String, ListedObject> objects = new LinkedHashMap<>();
          if (result.scan() != null) {
            result.scan().listing().forEach(o -> objects.put(o.key(), o));
          }
          // Split first: recorded, the scan would make the shard plannable for the reconcile
          // round running meanwhile, which would then plan a shard about to go.
          if (!splitIfLarge(shard, task.sourcePool(), objects)) {
            views.scanned(shard, new PoolScan(task.sourcePool(), task.epoch(), now, objects));
          }
        }
        case COPY -> {
          if (task.repair()) {
            scrubs.repaired(shard.id(), task.targetPool(), task.keys(), result);
          }
          if (RoundQueue.isRepair(queued.get().priority())) {
            restored.run();
          }
        }
        case VERIFY -> {
          scrubs.verified(shard.id(), task.sourcePool(), result, now);
          queue.cancelDeletesRelyingOn(
              task.dataset(),
              task.range().start(),
              task.sourcePool(),
              scrubs.wrongIn(shard.id()).getOrDefault(task.sourcePool(), Set.of()));
        }
        case DELETE_COPY -> {}
      }
    }
    queue.complete(task.id());
  }

  /**
   * Brings the target's view of the shard up to date from a copy of missing copies that read back
   * every key it named (copied, or found there with the same size and checksum), as the source's
   * view shows each key. False, and the target is scanned, for a copy of a whole range (its keys
   * are only counted), a repair of a wrong copy, any key that did not land, or a key the source's
   * view does not show with its checksum.
   */
  private boolean patchedByCopy(Shard shard, Task task, TaskResult result, Instant now) {
    if (task.keys().isEmpty()
        || task.repair()
        || !allKeys(task, result, KeyStatus.COPIED, KeyStatus.ALREADY_PRESENT)) {
      return false;
    }
    PoolScan source = views.of(shard.id()).get(task.sourcePool());
    if (source == null) {
      return false;
    }
    Map<String, ListedObject> landed = new HashMap<>();
    for (String key : task.keys()) {
      ListedObject o = source.objects().get(key);
      if (o == null || o.sha256() == null) {
        return false;
      }
      landed.put(key, new ListedObject(key, o.size(), now, null, o.sha256(), o.metadata()));
    }
    views.patched(shard, task.targetPool(), landed, Set.of(), task.epoch(), now);
    return true;
  }

  /** The same for a delete that removed every key it named (or found it already gone). */
  private boolean patchedByDelete(Shard shard, Task task, TaskResult result, Instant now) {
    if (task.keys().isEmpty()
        || !allKeys(task, result, KeyStatus.DELETED, KeyStatus.ALREADY_ABSENT)) {
      return false;
    }
    views.patched(shard, task.sourcePool(), Map.of(), Set.copyOf(task.keys()), task.epoch(), now);
    return true;
  }

  /** Whether the task succeeded and every key it named ended with one of {@code statuses}. */
  private static boolean allKeys(Task task, TaskResult result, KeyStatus... statuses) {
    if (result.state() != TaskState.SUCCEEDED) {
      return false;
    }
    Set<KeyStatus> wanted = Set.of(statuses);
    long keys = 0;
    for (var e : result.counts().entrySet()) {
      if (!wanted.contains(e.getKey()) && e.getValue().keys() > 0) {
        return false;
      }
      keys += wanted.contains(e.getKey()) ? e.getValue().keys() : 0;
    }
    return keys == task.keys().size();
  }

  /** Records a sweep: what the pool holds of each of the dataset's shards. */
  private void swept(Task task, Instant issuedAt, TaskResult result, Instant now) throws Exception {
    List<ListedObject> listing = result.scan() == null ? List.of() : result.scan().listing();
    Map<Shard, PoolScan> found =
        Sweeps.byShard(
            shards.shards(task.dataset()), task.sourcePool(), task.epoch(), now, listing);
    views.swept(task.dataset(), task.sourcePool(), issuedAt, now, found);
    for (var e : found.entrySet()) {
      splitIfLarge(e.getKey(), task.sourcePool(), e.getValue().objects());
    }
  }

  /** Splits the shard if what {@code pool} holds of it is too large; true if it was split. */
  private boolean splitIfLarge(Shard shard, String pool, Map<String, ListedObject> objects)
      throws Exception {
    List<String> keys = ShardSplits.keys(objects.values(), settings);
    return !keys.isEmpty() && split(shard, pool, keys, objects.size());
  }

  /**
   * Splits a shard found too large at the keys {@link ShardSplits} chose; true if it was split. The
   * parent's scans are forgotten; each new shard scans the pools that held the parent's objects,
   * and {@code scanned}, the pool whose listing found it too large, before it is planned. The first
   * keeps the parent's placement key; the others' copies move under the misplaced cap.
   */
  private boolean split(Shard shard, String scanned, List<String> keys, int objects)
      throws Exception {
    List<Shard> after = shards.split(shard, keys);
    if (after.contains(shard)) {
      return false;
    }
    Set<String> pools = views.forgetShard(shard.id());
    pools.add(scanned);
    Instant now = clock.instant();
    for (Shard part : after) {
      pools.forEach(pool -> views.markStale(part, pool, now));
    }
    stats.forgetShard(shard.id());
    scrubs.forgetShard(shard.id());
    LOG.info(
        "shard {} ({} objects in one pool) split in {} at {}",
        shard.id(),
        objects,
        keys.size() + 1,
        keys.size() > 3 ? keys.subList(0, 3) + "..." : keys);
    return true;
  }
}
