package io.strata.controller.reconcile;

import io.strata.agent.task.KeyOutcome;
import io.strata.agent.task.KeyStatus;
import io.strata.agent.task.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's record of scrubs: when each pool's copies of each shard were last re-read against
 * their checksums, and which copies were found wrong and are not repaired yet. Held in memory: a
 * new leader starts empty and finds wrong copies again with its own scrubs. Thread-safe.
 */
final class Scrubs {
  private static final Logger LOG = LoggerFactory.getLogger(Scrubs.class);

  private final Duration interval;

  /** Per shard and pool: keys whose copy there does not match its checksum. */
  private final Map<String, Set<String>> wrong = new ConcurrentHashMap<>();

  /** Per shard and pool: when its last scrub was queued. */
  private final Map<String, Instant> queuedAt = new ConcurrentHashMap<>();

  Scrubs(Duration interval) {
    this.interval = interval;
  }

  /** Forgets everything: a replica that has just become the leader. */
  void clear() {
    wrong.clear();
    queuedAt.clear();
  }

  /** Forgets a shard that was split; its halves are scrubbed afresh. */
  void forgetShard(String shardId) {
    wrong.keySet().removeIf(k -> k.startsWith(shardId + "|"));
    queuedAt.keySet().removeIf(k -> k.startsWith(shardId + "|"));
  }

  /**
   * Whether the shard's copies on the pool are due for a scrub at {@code now}. A pair seen for the
   * first time is taken as scrubbed a fraction of an interval ago (by its hash), so that a new
   * leader spreads its first scrubs over one interval rather than reading everything at once.
   */
  boolean due(String shardId, String pool, Instant now) {
    Instant last =
        queuedAt.computeIfAbsent(
            key(shardId, pool),
            k -> now.minus(interval.multipliedBy(k.hashCode() & 0xffff).dividedBy(0x10000)));
    return !last.plus(interval).isAfter(now);
  }

  void queued(String shardId, String pool, Instant now) {
    queuedAt.put(key(shardId, pool), now);
  }

  /** Records a scrub's result: the keys it found wrong replace what was known of the pool. */
  void verified(String shardId, String pool, TaskResult result) {
    String k = key(shardId, pool);
    Set<String> found = new HashSet<>();
    result.keysWith(KeyStatus.MISMATCH).forEach(o -> found.add(o.key()));
    if (found.isEmpty()) {
      wrong.remove(k);
    } else {
      LOG.warn(
          "scrub of shard {} on pool {}: {} copies do not match their checksum, first {}",
          shardId,
          pool,
          result.count(KeyStatus.MISMATCH),
          found.stream().sorted().findFirst().orElseThrow());
      wrong.put(k, Set.copyOf(found));
    }
    if (result.count(KeyStatus.MISMATCH) > found.size()) {
      // More than a result names: due again at once, to name the rest once these are repaired.
      queuedAt.put(k, Instant.EPOCH);
    }
  }

  /** Records a repair's result: its keys that did not fail are right again on the pool. */
  void repaired(String shardId, String pool, List<String> keys, TaskResult result) {
    Set<String> failed = new HashSet<>();
    result.keysWith(KeyStatus.FAILED).stream().map(KeyOutcome::key).forEach(failed::add);
    wrong.computeIfPresent(
        key(shardId, pool),
        (k, known) -> {
          Set<String> left = new HashSet<>(known);
          keys.stream().filter(key -> !failed.contains(key)).forEach(left::remove);
          return left.isEmpty() ? null : Set.copyOf(left);
        });
  }

  /** The copies of the shard known wrong, by pool. */
  Map<String, Set<String>> wrongIn(String shardId) {
    Map<String, Set<String>> out = new HashMap<>();
    String prefix = shardId + "|";
    wrong.forEach(
        (k, keys) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), keys);
          }
        });
    return out;
  }

  /** Copies known wrong and not repaired yet. */
  long wrongCopies() {
    return wrong.values().stream().mapToLong(Set::size).sum();
  }

  private static String key(String shardId, String pool) {
    return shardId + "|" + pool;
  }
}
