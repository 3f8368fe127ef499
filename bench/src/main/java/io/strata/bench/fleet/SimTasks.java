package io.strata.bench.fleet;

import io.strata.agent.mover.ScanDigest;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.KeyTally;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.ScanSummary;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskFailure;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.protocol.task.TaskType;
import io.strata.protocol.task.VerifiedCopy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a simulated agent does with a task, on {@link SimPools}: a scan lists, a verify finds every
 * copy sound (no decay is simulated), a copy takes the time its bytes need through {@link
 * LinkModel} and lands on the target only when that time has passed, and a delete removes a copy
 * only after checking, as the real agent does by HEAD, that every copy its proof names is there
 * with the same checksum. Thread-safe.
 */
final class SimTasks {
  /**
   * What one copy task moved from one pool to another.
   *
   * @param shards the key prefixes of the shards whose objects it copied
   */
  /**
   * A copy landed.
   *
   * @param startedAt when its agent started it, in fleet seconds
   * @param endedAt when its bytes were through, in fleet seconds
   */
  record Transfer(
      String source,
      String target,
      long bytes,
      Set<String> shards,
      double startedAt,
      double endedAt) {
    Transfer(String source, String target, long bytes, Set<String> shards) {
      this(source, target, bytes, shards, Double.NaN, Double.NaN);
    }
  }

  /** A task under way: when it ends (fleet seconds), and what ending it does and reports. */
  record Pending(double endsAt, long bytes, Supplier<TaskResult> finish) {}

  private final SimPools pools;
  private final LinkModel links;
  private final Map<String, FleetLayout.PoolSite> sites;
  private final List<Transfer> transfers = new ArrayList<>();
  final AtomicLong copiedObjects = new AtomicLong();
  final AtomicLong copiedBytes = new AtomicLong();
  final AtomicLong deletedObjects = new AtomicLong();
  final AtomicLong refusedDeletes = new AtomicLong();

  /** Deletes that left an object with fewer copies on reachable pools than the policy requires. */
  final AtomicLong unsafeDeletes = new AtomicLong();

  /**
   * Deletes whose proof named a copy no scan had listed since it was written: the controller can
   * only have verified a copy (its size and checksum marker) through a scan that listed it.
   */
  final AtomicLong unverifiedDeletes = new AtomicLong();

  /**
   * Objects a copy wrote over an identical copy that another task had landed while it ran: the same
   * bytes sent twice.
   */
  final AtomicLong copiedTwice = new AtomicLong();

  /** {@code pool|key} of every copy a scan listed, until the copy is written again or deleted. */
  private final Set<String> listed = java.util.concurrent.ConcurrentHashMap.newKeySet();

  SimTasks(SimPools pools, LinkModel links, Map<String, FleetLayout.PoolSite> sites) {
    this.pools = pools;
    this.links = links;
    this.sites = sites;
  }

  /** Tasks started, by type, since {@link #takeStarted}. */
  private final Map<TaskType, AtomicLong> started = new ConcurrentHashMap<>();

  /** Tasks started by type since the last call; resets. */
  Map<TaskType, Long> takeStarted() {
    Map<TaskType, Long> out = new java.util.TreeMap<>();
    started.forEach((type, n) -> out.put(type, n.getAndSet(0)));
    out.values().removeIf(n -> n == 0);
    return out;
  }

  /** Starts {@code task} at {@code now} (fleet seconds). */
  Pending start(Task task, double now) {
    started.computeIfAbsent(task.type(), t -> new AtomicLong()).incrementAndGet();
    return switch (task.type()) {
      case SCAN -> done(now, () -> scan(task));
      case VERIFY -> done(now, () -> verify(task));
      case DELETE_COPY -> done(now, () -> delete(task));
      case COPY -> copy(task, now);
    };
  }

  private static Pending done(double now, Supplier<TaskResult> result) {
    return new Pending(now, 0, result);
  }

  private TaskResult scan(Task task) {
    if (!pools.reachable(task.sourcePool())) {
      return unreachable(task, task.sourcePool());
    }
    List<ListedObject> listing = pools.list(task.sourcePool(), task.range());
    listing.forEach(o -> listed.add(task.sourcePool() + "|" + o.key()));
    ScanDigest digest = new ScanDigest();
    listing.forEach(digest::add);
    return TaskResult.scanned(
        task,
        new ScanSummary(
            digest.objects(),
            digest.bytes(),
            digest.oldest(),
            digest.newest(),
            digest.digest(),
            task.includeListing() ? listing : List.of()));
  }

  private TaskResult verify(Task task) {
    if (!pools.reachable(task.sourcePool())) {
      return unreachable(task, task.sourcePool());
    }
    KeyTally tally = new KeyTally();
    if (task.keys().isEmpty()) {
      for (ListedObject o : pools.list(task.sourcePool(), task.range())) {
        tally.add(KeyOutcome.of(o.key(), KeyStatus.VERIFIED, o.size(), o.sha256()));
      }
    } else {
      for (String key : task.keys()) {
        SimPools.SimObject o = pools.get(task.sourcePool(), key);
        tally.add(
            o == null
                ? KeyOutcome.because(key, KeyStatus.MISSING, "not in the pool")
                : KeyOutcome.of(key, KeyStatus.VERIFIED, o.size(), o.sha256()));
      }
    }
    return TaskResult.of(task, TaskState.SUCCEEDED, tally, null);
  }

  private Pending copy(Task task, double now) {
    String source = task.sourcePool();
    String target = task.targetPool();
    if (!pools.reachable(source) || !pools.reachable(target)) {
      String gone = pools.reachable(source) ? target : source;
      return done(now, () -> unreachable(task, gone));
    }
    List<String> keys =
        task.keys().isEmpty()
            ? pools.list(source, task.range()).stream().map(ListedObject::key).toList()
            : task.keys();
    List<String> toCopy = new ArrayList<>();
    long bytes = 0;
    for (String key : keys) {
      SimPools.SimObject s = pools.get(source, key);
      SimPools.SimObject t = pools.get(target, key);
      if (s != null && (task.repair() || t == null || !t.sha256().equals(s.sha256()))) {
        toCopy.add(key);
        bytes += s.size();
      }
    }
    double endsAt = bytes == 0 ? now : links.book(sites.get(source), sites.get(target), bytes, now);
    return new Pending(endsAt, bytes, () -> land(task, keys, new HashSet<>(toCopy), now, endsAt));
  }

  /** The copy's time has passed: its objects are on the target, read back and counted. */
  private TaskResult land(
      Task task, List<String> keys, Set<String> toCopy, double startedAt, double endedAt) {
    String source = task.sourcePool();
    String target = task.targetPool();
    if (!pools.reachable(source) || !pools.reachable(target)) {
      return unreachable(task, pools.reachable(source) ? target : source);
    }
    KeyTally tally = new KeyTally();
    long moved = 0;
    Set<String> shards = new HashSet<>();
    for (String key : keys) {
      SimPools.SimObject s = pools.get(source, key);
      if (s == null) {
        tally.add(KeyOutcome.because(key, KeyStatus.SOURCE_GONE, "gone from the source"));
      } else if (toCopy.contains(key)) {
        SimPools.SimObject there = pools.get(target, key);
        if (!task.repair() && there != null && there.sha256().equals(s.sha256())) {
          copiedTwice.incrementAndGet();
        }
        listed.remove(target + "|" + key);
        pools.put(target, key, new SimPools.SimObject(s.size(), s.sha256(), s.lastModified()));
        copiedObjects.incrementAndGet();
        copiedBytes.addAndGet(s.size());
        moved += s.size();
        shards.add(key.substring(0, key.indexOf('/') + 1));
        tally.add(KeyOutcome.of(key, KeyStatus.COPIED, s.size(), s.sha256()));
      } else {
        tally.add(KeyOutcome.of(key, KeyStatus.ALREADY_PRESENT, s.size(), s.sha256()));
      }
    }
    synchronized (transfers) {
      transfers.add(new Transfer(source, target, moved, shards, startedAt, endedAt));
    }
    return TaskResult.of(task, TaskState.SUCCEEDED, tally, null);
  }

  /** The copies landed since the last call; forgets them. */
  List<Transfer> takeTransfers() {
    synchronized (transfers) {
      List<Transfer> out = List.copyOf(transfers);
      transfers.clear();
      return out;
    }
  }

  private TaskResult delete(Task task) {
    String pool = task.sourcePool();
    DeleteProof proof = task.proof();
    if (proof == null) {
      return TaskResult.failed(task, TaskFailure.permanent("a delete-copy task needs a proof"));
    }
    if (!pools.reachable(pool)) {
      return unreachable(task, pool);
    }
    KeyTally tally = new KeyTally();
    for (Map.Entry<String, List<VerifiedCopy>> e : proof.copies().entrySet()) {
      String key = e.getKey();
      SimPools.SimObject local = pools.get(pool, key);
      if (local == null) {
        tally.add(KeyOutcome.of(key, KeyStatus.ALREADY_ABSENT, -1, null));
        continue;
      }
      int held = 0;
      boolean seen = true;
      for (VerifiedCopy c : e.getValue()) {
        seen &= c.pool().equals(pool) || listed.contains(c.pool() + "|" + key);
        SimPools.SimObject other = c.pool().equals(pool) ? null : pools.get(c.pool(), key);
        if (other != null
            && pools.reachable(c.pool())
            && other.sha256().equals(c.sha256())
            && other.size() == c.size()
            && local.sha256().equals(c.sha256())) {
          held++;
        }
      }
      if (held < proof.requiredCopies()) {
        refusedDeletes.incrementAndGet();
        tally.add(KeyOutcome.because(key, KeyStatus.REFUSED, "a copy of the proof is not there"));
        continue;
      }
      pools.remove(pool, key);
      listed.remove(pool + "|" + key);
      deletedObjects.incrementAndGet();
      if (!seen) {
        unverifiedDeletes.incrementAndGet();
      }
      if (copiesOnReachablePools(key, local.sha256()) < FleetLayout.COPIES) {
        unsafeDeletes.incrementAndGet();
      }
      tally.add(KeyOutcome.of(key, KeyStatus.DELETED, local.size(), local.sha256()));
    }
    return TaskResult.of(task, TaskState.SUCCEEDED, tally, null);
  }

  /** Copies of {@code key} with checksum {@code sha256} in distinct rooms on reachable pools. */
  int copiesOnReachablePools(String key, String sha256) {
    Set<String> rooms = new HashSet<>();
    for (String p : pools.ids()) {
      SimPools.SimObject o = pools.get(p, key);
      if (o != null && pools.reachable(p) && o.sha256().equals(sha256)) {
        rooms.add(sites.get(p).room());
      }
    }
    return rooms.size();
  }

  private static TaskResult unreachable(Task task, String pool) {
    return TaskResult.failed(
        task, TaskFailure.transientFailure("pool " + pool + " does not answer"));
  }
}
