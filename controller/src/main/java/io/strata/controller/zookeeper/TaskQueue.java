package io.strata.controller.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.fleet.reconcile.MovementBudgets;
import io.strata.fleet.reconcile.PlannedTask;
import io.strata.fleet.reconcile.QueuedTask;
import io.strata.fleet.reconcile.RackBudget;
import io.strata.fleet.reconcile.Superseded;
import io.strata.fleet.reconcile.TaskIndex;
import io.strata.protocol.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task queue: every task the leader has planned and not seen finished, persisted in ZooKeeper
 * under {@link ZkPaths#TASKS} so that a new leader resumes it. Only the leader writes, and every
 * write carries the leadership fence, so a deposed leader cannot change the queue.
 *
 * <p>The leader works from an in-memory copy loaded when it wins. Tasks are ordered by priority,
 * then age: the oldest risk first. Thread-safe.
 */
public final class TaskQueue {
  private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);
  private final CuratorFramework curator;
  private final Leadership leadership;
  private final ObjectMapper json;
  private final Map<String, QueuedTask> tasks = new ConcurrentHashMap<>();

  /** Guarded by this. */
  private final TaskIndex index;

  private final MovementBudgets rates;

  /** Told the executor pool of work that becomes leasable; see {@link #onWork}. */
  private volatile Consumer<String> onWork = pool -> {};

  public TaskQueue(CuratorFramework curator, Leadership leadership, ObjectMapper json) {
    this(curator, leadership, json, RackBudget.NONE, MovementBudgets.none());
  }

  /**
   * @param budget the cap on bytes of copies in flight per rack
   * @param rates the byte-rate budgets per rack, room and policy
   */
  public TaskQueue(
      CuratorFramework curator,
      Leadership leadership,
      ObjectMapper json,
      RackBudget budget,
      MovementBudgets rates) {
    this.curator = curator;
    this.leadership = leadership;
    this.json = json;
    this.index = new TaskIndex(budget);
    this.rates = rates;
  }

  /**
   * Tells {@code listener} the executor pool of each task that becomes leasable: queued, or given
   * back to the queue by its agent or a lapsed lease (not one failed, which waits out a back-off).
   * Called under the queue's lock: the listener must not block.
   */
  public void onWork(Consumer<String> listener) {
    this.onWork = listener;
  }

  /** The byte-rate budgets the queue leases copies within. */
  public MovementBudgets budgets() {
    return rates;
  }

  /** Loads the queue from ZooKeeper; called by a replica that has just become the leader. */
  public synchronized void load() throws Exception {
    tasks.clear();
    index.clear();
    if (curator.checkExists().forPath(ZkPaths.TASKS) == null) {
      curator.create().creatingParentsIfNeeded().forPath(ZkPaths.TASKS);
    }
    for (String id : curator.getChildren().forPath(ZkPaths.TASKS)) {
      try {
        QueuedTask q =
            json.readValue(curator.getData().forPath(ZkPaths.task(id)), QueuedTask.class);
        store(q);
      } catch (Exception e) {
        LOG.warn("dropping unreadable task {}: {}", id, e.toString());
      }
    }
    LOG.info("task queue loaded: {} tasks", tasks.size());
  }

  /** Adds a task unless one with its id is queued already. Returns whether it was added. */
  public synchronized boolean enqueue(PlannedTask planned, Instant now) throws Exception {
    if (tasks.containsKey(planned.task().id())) {
      return false;
    }
    QueuedTask q = QueuedTask.waiting(planned, now);
    write(
        curator
            .transactionOp()
            .create()
            .forPath(ZkPaths.task(q.task().id()), json.writeValueAsBytes(q)));
    store(q);
    onWork.accept(q.executor());
    return true;
  }

  /**
   * Whether a task whose executor pool is one of {@code pools} could be leased now: an agent that
   * asks to wait for work is answered at once when there is some (work queued between its heartbeat
   * and its wait). Reads only those pools' waiting tasks, and changes nothing.
   */
  public synchronized boolean hasLeasable(Set<String> pools, Instant now) {
    for (String pool : pools) {
      if (leasableOn(pool, now)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pools whose agents could lease a waiting task now, and the soonest moment after {@code now}
   * at which a task held back only by time (a back-off, a byte-rate budget paying back a copy)
   * could be leased on a pool that has none leasable now, if nothing else is leased meanwhile.
   *
   * @param pools the pools whose agents could lease a waiting task now
   * @param next that moment; null when no such task waits
   */
  public record Leasable(Set<String> pools, Instant next) {}

  /**
   * See {@link Leasable}. Work held back by a budget, a back-off or a delete of the same shard
   * becomes leasable with time or as other tasks end, and no task is queued then to say so. Reads
   * the waiting tasks of every pool that has some, up to the first leasable one of each.
   */
  public synchronized Leasable leasable(Instant now) {
    Set<String> out = new HashSet<>();
    Instant next = null;
    for (String pool : index.poolsWithWaiting()) {
      Instant soonest = null;
      for (QueuedTask q : index.waiting(pool)) {
        Instant at = leasableAt(q, now);
        if (at == null) {
          continue; // Until another task ends.
        }
        if (!at.isAfter(now)) {
          out.add(pool);
          soonest = null;
          break;
        }
        soonest = soonest == null || at.isBefore(soonest) ? at : soonest;
      }
      if (soonest != null && (next == null || soonest.isBefore(next))) {
        next = soonest;
      }
    }
    return new Leasable(out, next);
  }

  private boolean leasableOn(String pool, Instant now) {
    for (QueuedTask q : index.waiting(pool)) {
      if (leasableNow(q, now)) {
        return true;
      }
    }
    return false;
  }

  private boolean leasableNow(QueuedTask q, Instant now) {
    Instant at = leasableAt(q, now);
    return at != null && !at.isAfter(now);
  }

  /**
   * From when a waiting task could be leased if nothing else is leased meanwhile: the later of its
   * back-off and its byte-rate budgets paying back; null while it waits for another task to end (a
   * delete of its shard, or copies through its racks beyond their {@link RackBudget}).
   */
  private Instant leasableAt(QueuedTask q, Instant now) {
    if (index.deleteWaits(q) || !index.withinRackBudget(q)) {
      return null;
    }
    Instant at = rates.admitsAt(q, now);
    return q.notBefore() != null && q.notBefore().isAfter(at) ? q.notBefore() : at;
  }

  /**
   * Leases up to {@code max} queued tasks whose executor pool is one of {@code pools} to an agent,
   * highest priority first. Reads only those pools' waiting tasks, whatever the queue's length: it
   * runs for every heartbeat.
   *
   * <p>At most one delete-copy task of a shard is leased at a time. Tasks planned at different
   * times may rely on each other's copies (one deleting X on the strength of A, a later one A on
   * the strength of X); run one after the other, the second finds its proof gone and refuses.
   *
   * <p>A copy is leased only within the {@link RackBudget} of the racks it goes through.
   */
  public synchronized List<Task> lease(
      String agentId, Set<String> pools, int max, Instant now, Duration lease) throws Exception {
    List<Task> out = new ArrayList<>();
    if (max <= 0) {
      return out;
    }
    List<QueuedTask> candidates = new ArrayList<>();
    for (String pool : pools) {
      int found = 0;
      for (QueuedTask q : index.waiting(pool)) {
        if (found == max) {
          break;
        }
        if (leasableNow(q, now)) {
          candidates.add(q);
          found++;
        }
      }
    }
    candidates.sort(QueuedTask.ORDER);
    for (QueuedTask q : candidates) {
      if (out.size() == max) {
        break;
      }
      if (!leasableNow(q, now)) {
        continue; // Leased a moment ago, in this loop: a delete of the same shard, or copies.
      }
      update(q.leasedTo(agentId, now.plus(lease)));
      rates.charge(q, now);
      out.add(q.task());
    }
    return out;
  }

  /**
   * Renews the lease of the tasks an agent reports running. A lease is written again only once half
   * of it has passed: every heartbeat reports the running tasks, and a ZooKeeper write per task per
   * heartbeat would be most of the leader's work at fleet scale. The stored lease never has less
   * than half its length left while the agent reports, so a new leader expires nothing that runs.
   *
   * <p>A task whose lease lapsed while its agent went on running it (its heartbeats did not come
   * through for a while) is leased to it again if it is still waiting, unless it is a delete and
   * another delete of its shard was leased meanwhile; {@link #toStop} names it otherwise.
   */
  public synchronized void renew(String agentId, Set<String> running, Instant now, Duration lease)
      throws Exception {
    Instant renewBy = now.plus(lease.dividedBy(2));
    for (String id : running) {
      QueuedTask q = tasks.get(id);
      if (q == null) {
        continue;
      }
      boolean renew =
          agentId.equals(q.agent()) && (q.leaseUntil() == null || q.leaseUntil().isBefore(renewBy));
      boolean adopt = !q.leased() && !index.deleteWaits(q);
      if (renew || adopt) {
        update(q.leasedTo(agentId, now.plus(lease)));
      }
    }
  }

  /** Removes a finished task. Idempotent. */
  public synchronized Optional<QueuedTask> complete(String taskId) throws Exception {
    QueuedTask q = tasks.get(taskId);
    if (q == null) {
      return Optional.empty();
    }
    write(curator.transactionOp().delete().forPath(ZkPaths.task(taskId)));
    index.remove(tasks.remove(taskId));
    return Optional.of(q);
  }

  /** Returns a failed task to the queue with exponential back-off, or drops it after 5 tries. */
  public synchronized void failed(String taskId, Instant now) throws Exception {
    QueuedTask q = tasks.get(taskId);
    if (q == null) {
      return;
    }
    if (q.attempts() >= 4) {
      LOG.warn(
          "task {} failed {} times; dropped, the next round plans it again if still needed",
          taskId,
          q.attempts() + 1);
      complete(taskId);
      return;
    }
    update(q.returned(now.plusSeconds(1L << Math.min(q.attempts() + 1, 6))));
  }

  /**
   * Returns to the queue every task whose lease lapsed. A task its agent was asked to stop is
   * dropped instead: whatever of it is still needed, the next round plans again.
   */
  public synchronized int expireLeases(Instant now) throws Exception {
    int expired = 0;
    for (QueuedTask q : List.copyOf(tasks.values())) {
      if (q.leased() && q.leaseUntil().isBefore(now)) {
        LOG.info("lease of task {} by {} lapsed; back to the queue", q.task().id(), q.agent());
        if (q.cancelling()) {
          complete(q.task().id());
        } else {
          update(q.returned(now));
          onWork.accept(q.executor());
        }
        expired++;
      }
    }
    return expired;
  }

  /** What {@link #cancel} did. */
  public enum Cancel {
    /** No such task in the queue. */
    UNKNOWN,
    /** It was waiting: it is gone. */
    REMOVED,
    /** It is leased: its agent is told to stop it with its next heartbeat. */
    ASKED
  }

  /**
   * Cancels a task: a waiting one leaves the queue at once; the agent holding a leased one is told
   * to stop it (see {@link #toStop}), and it leaves the queue when the agent reports it stopped or
   * its lease lapses. Idempotent.
   */
  public synchronized Cancel cancel(String taskId, String reason) throws Exception {
    QueuedTask q = tasks.get(taskId);
    if (q == null) {
      return Cancel.UNKNOWN;
    }
    if (!q.leased()) {
      complete(taskId);
      return Cancel.REMOVED;
    }
    if (!q.cancelling()) {
      LOG.info("task {} leased by {}: asked to stop, {}", taskId, q.agent(), reason);
      update(q.cancelled(reason));
    }
    return Cancel.ASKED;
  }

  /**
   * Which of the tasks an agent reports running it must stop: those cancelled, and those the queue
   * does not hold for it (call {@link #renew} first). The latter ran on past a lapsed lease and are
   * now leased to another agent or gone from the queue: two agents must not run one task.
   */
  public List<String> toStop(String agentId, Set<String> running) {
    List<String> out = new ArrayList<>();
    for (String id : running) {
      QueuedTask q = tasks.get(id);
      if (q == null || !agentId.equals(q.agent()) || q.cancelling()) {
        out.add(id);
      }
    }
    return out;
  }

  /**
   * Returns a leased task to the queue without counting an attempt; its agent stopped it unasked.
   */
  public synchronized void release(String taskId) throws Exception {
    QueuedTask q = tasks.get(taskId);
    if (q != null && q.leased()) {
      update(q.released());
      onWork.accept(q.executor());
    }
  }

  /**
   * Acts on a new plan of a shard: its waiting tasks left out of the plan leave the queue, and the
   * agents of running ones the plan supersedes are told to stop them (see {@link Superseded}).
   */
  public void retainPlanned(String dataset, String shardRangeStart, List<PlannedTask> planned)
      throws Exception {
    // Most shards of a large fleet have nothing queued and nothing planned: they need not wait
    // for the lock, which heartbeats hold while they write ZooKeeper. Only the reconciler, the
    // caller, adds a shard's tasks, so none can appear meanwhile.
    if (planned.isEmpty() && !index.hasShard(dataset, shardRangeStart)) {
      return;
    }
    synchronized (this) {
      supersede(dataset, shardRangeStart, planned);
    }
  }

  private void supersede(String dataset, String shardRangeStart, List<PlannedTask> planned)
      throws Exception {
    List<QueuedTask> ofShard = ofShard(dataset, shardRangeStart);
    Superseded.Verdict verdict = Superseded.of(ofShard, planned);
    for (String id : verdict.remove()) {
      complete(id);
    }
    for (String id : verdict.stop()) {
      cancel(id, "no longer in the plan of its shard");
    }
  }

  /**
   * Cancels the deletes of a shard whose proof relies on a copy of {@code keys} on {@code pool}: a
   * scrub has just found those copies wrong. The agent checks each copy of a proof before it
   * deletes, by its size and markers, which a copy decayed on disk still shows. Without this, a
   * delete leased before the scrub could go on until the shard is planned again.
   */
  public synchronized void cancelDeletesRelyingOn(
      String dataset, String shardRangeStart, String pool, Set<String> keys) throws Exception {
    if (keys.isEmpty()) {
      return;
    }
    for (QueuedTask q : ofShard(dataset, shardRangeStart)) {
      Task t = q.task();
      if (TaskIndex.isDelete(q)
          && !q.cancelling()
          && t.proof() != null
          && Superseded.reliesOn(t.proof(), pool, keys)) {
        cancel(t.id(), "a copy its proof relies on failed its scrub on " + pool);
      }
    }
  }

  public List<QueuedTask> all() {
    return tasks.values().stream().sorted(QueuedTask.ORDER).toList();
  }

  public Optional<QueuedTask> get(String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  /** Tasks (queued or leased) executed by a pool's agent. */
  public long countFor(String pool) {
    return tasks.values().stream().filter(q -> q.executor().equals(pool)).count();
  }

  private void update(QueuedTask q) throws Exception {
    write(
        curator
            .transactionOp()
            .setData()
            .forPath(ZkPaths.task(q.task().id()), json.writeValueAsBytes(q)));
    store(q);
  }

  /** Bytes of leased copies going through {@code rack}; for tests and metrics. */
  synchronized long inFlight(String rack) {
    return index.inFlight(rack);
  }

  /** Puts {@code q} in the queue's memory, in place of the task's earlier state. */
  private void store(QueuedTask q) {
    index.store(tasks.put(q.task().id(), q), q);
  }

  /**
   * The shard's tasks, read through the shard index: the reconciler asks once per shard per round,
   * and a scan of the whole queue each time would cost shards times tasks.
   */
  private List<QueuedTask> ofShard(String dataset, String rangeStart) {
    List<QueuedTask> out = new ArrayList<>();
    for (String id : index.ofShard(dataset, rangeStart)) {
      out.add(tasks.get(id));
    }
    return out;
  }

  private void write(CuratorOp op) throws Exception {
    curator.transaction().forOperations(leadership.fenceCheck(), op);
  }
}
