package io.strata.fleet.reconcile;

import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.RetainUntil;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.VerifiedCopy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one shard's objects add up to, by task group (type, pools, priority): the keys (and sizes)
 * to copy, the keys (and proofs) to delete, and the copies each delete group's proof requires; and
 * the tasks they make. Pure, and the same decisions always make the same tasks: groups, keys and
 * chunks come in a fixed order, and a task's id is derived from its content. Not thread-safe: one
 * plan of one shard fills it.
 */
final class TaskGroups {
  /** At most this many keys per task, so one task stays a bounded unit of work. */
  static final int MAX_KEYS_PER_TASK = 200;

  /**
   * Groups keys into tasks by (type, pools, priority) and, for voluntary movement, the policy whose
   * movement settings (bandwidth, priority) govern it.
   */
  private record GroupKey(
      String type, String source, String target, TaskPriority priority, String policy, int rank) {
    GroupKey(String type, String source, String target, TaskPriority priority) {
      this(type, source, target, priority, null, 0);
    }
  }

  /** A key to copy: its size, and the retain-until its copy carries (null for none). */
  private record Copied(long bytes, Instant retainUntil) {}

  private final Map<GroupKey, Map<String, Copied>> copies =
      new TreeMap<>(TaskGroups::compareGroups);
  private final Map<GroupKey, Map<String, List<VerifiedCopy>>> deletes =
      new TreeMap<>(TaskGroups::compareGroups);
  private final Map<GroupKey, Integer> deleteRequired = new HashMap<>();

  /** Whether a scan is from an older epoch, so that no copy may be deleted on this view. */
  private final boolean holdDeletes;

  private boolean deletesHeld;

  /**
   * @param holdDeletes whether a scan of the shard is from an older epoch: deletions are then only
   *     noted (see {@link #deletesHeld}), never planned
   */
  TaskGroups(boolean holdDeletes) {
    this.holdDeletes = holdDeletes;
  }

  /**
   * Adds {@code key} to the copies from {@code source} to {@code target}.
   *
   * @param type {@code copy}, or {@code repair} for a copy that overwrites one found wrong
   * @param bytes the object's size
   * @param policy the policy whose movement settings govern the copy if it is voluntary, else null
   * @param rank that policy's movement priority; 0 without one
   * @param retainUntil the retain-until the copy carries when written; null for none
   */
  void copy(
      String type,
      String source,
      String target,
      TaskPriority priority,
      String key,
      long bytes,
      String policy,
      int rank,
      Instant retainUntil) {
    copies
        .computeIfAbsent(
            new GroupKey(type, source, target, priority, policy, rank), k -> new TreeMap<>())
        .put(key, new Copied(bytes, retainUntil));
  }

  /**
   * Adds the deletion of {@code key}'s copy on {@code pool}, on the strength of {@code proof}, the
   * copies that stay; {@code required} of them must be verified when the agent deletes. Held
   * instead while a scan is from an older epoch.
   */
  void delete(
      String pool, TaskPriority priority, String key, List<VerifiedCopy> proof, int required) {
    if (holdDeletes) {
      // The proof must stand on what the pools hold at the current epoch.
      deletesHeld = true;
      return;
    }
    GroupKey group = new GroupKey("delete", pool, null, priority);
    deletes.computeIfAbsent(group, k -> new TreeMap<>()).put(key, proof);
    deleteRequired.merge(group, required, Math::max);
  }

  /**
   * Adds the destruction of {@code key}'s copy on {@code pool} under the approved expiry {@code
   * expiry}: no copy stays, and {@code self} is the copy as the plan saw it, which the agent finds
   * unchanged before it deletes. Held instead while a scan is from an older epoch.
   */
  void expire(String pool, String key, VerifiedCopy self, String expiry) {
    if (holdDeletes) {
      deletesHeld = true;
      return;
    }
    GroupKey group = new GroupKey("expire", pool, null, TaskPriority.EXPIRY, expiry, 0);
    deletes.computeIfAbsent(group, k -> new TreeMap<>()).put(key, List.of(self));
    deleteRequired.merge(group, 0, Math::max);
  }

  /** Whether a copy would have been deleted, had the scans been current. */
  boolean deletesHeld() {
    return deletesHeld;
  }

  /**
   * The tasks the groups make, highest priority first, at most {@link #MAX_KEYS_PER_TASK} keys
   * each.
   *
   * @param epoch the cluster map's epoch, which the tasks carry
   */
  List<PlannedTask> tasks(Shard shard, long epoch) {
    List<PlannedTask> out = new ArrayList<>();
    for (var e : copies.entrySet()) {
      GroupKey g = e.getKey();
      List<String> keys = new ArrayList<>(e.getValue().keySet());
      for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_TASK) {
        List<String> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_TASK));
        long bytes = chunk.stream().mapToLong(k -> e.getValue().get(k).bytes()).sum();
        Map<String, Instant> until = new HashMap<>();
        chunk.forEach(k -> until.put(k, e.getValue().get(k).retainUntil()));
        RetainUntil retain = RetainUntil.of(chunk, until);
        String id = taskId(g.type(), shard.id(), g.source(), g.target(), chunk, 0, null, retain);
        Task task =
            Task.copy(id, shard.dataset(), shard.range(), g.source(), g.target(), epoch)
                .withKeys(chunk)
                .withRetainUntil(retain);
        if (g.type().equals("repair")) {
          task = task.asRepair();
        }
        out.add(new PlannedTask(task, g.priority(), g.target(), bytes, g.policy(), g.rank()));
      }
    }
    for (var e : deletes.entrySet()) {
      GroupKey g = e.getKey();
      List<String> keys = new ArrayList<>(e.getValue().keySet());
      for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_TASK) {
        List<String> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_TASK));
        Map<String, List<VerifiedCopy>> proofs = new TreeMap<>();
        chunk.forEach(k -> proofs.put(k, e.getValue().get(k)));
        // An expiry's group carries its id as its policy: the proof names the approval.
        DeleteProof proof =
            new DeleteProof(
                epoch,
                deleteRequired.get(g),
                proofs,
                g.type().equals("expire") ? g.policy() : null);
        // The proof is part of what the task does: a plan that requires other copies (a policy
        // edited, a copy re-made) makes a new task, and the queued one with the old proof goes.
        String id = taskId(g.type(), shard.id(), g.source(), "", chunk, epoch, proof, null);
        Task task =
            Task.deleteCopy(id, shard.dataset(), shard.range(), g.source(), epoch, proof)
                .withKeys(chunk);
        out.add(new PlannedTask(task, g.priority(), g.source(), 0));
      }
    }
    return out;
  }

  private static int compareGroups(GroupKey a, GroupKey b) {
    int c = a.priority().compareTo(b.priority());
    if (c != 0) {
      return c;
    }
    c = a.type().compareTo(b.type());
    if (c != 0) {
      return c;
    }
    c = a.source().compareTo(b.source());
    if (c != 0) {
      return c;
    }
    c = String.valueOf(a.target()).compareTo(String.valueOf(b.target()));
    return c != 0 ? c : String.valueOf(a.policy()).compareTo(String.valueOf(b.policy()));
  }

  /**
   * A task id derived from what the task does, so that planning twice yields one task: its type,
   * shard, pools, epoch, keys, for a deletion the proof (its required count and every copy it
   * names; null for other tasks), and for a copy the retain-until its copies carry (null for none).
   */
  static String taskId(
      String type,
      String shard,
      String source,
      String target,
      List<String> keys,
      long epoch,
      DeleteProof proof,
      RetainUntil retainUntil) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : List.of(type, shard, source, target, Long.toString(epoch))) {
        update(sha, part);
      }
      for (String key : keys) {
        update(sha, key);
      }
      if (proof != null) {
        update(sha, Integer.toString(proof.requiredCopies()));
        if (proof.expiry() != null) {
          update(sha, proof.expiry());
        }
        for (var e : proof.copies().entrySet()) {
          update(sha, e.getKey());
          for (VerifiedCopy c : e.getValue()) {
            update(sha, c.pool());
            update(sha, Long.toString(c.size()));
            update(sha, String.valueOf(c.sha256()));
          }
        }
      }
      if (retainUntil != null) {
        for (RetainUntil.Run run : retainUntil.runs()) {
          update(sha, run.keys() + "@" + run.until());
        }
      }
      return type + "-" + HexFormat.of().formatHex(sha.digest(), 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void update(MessageDigest sha, String part) {
    sha.update(part.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }
}
