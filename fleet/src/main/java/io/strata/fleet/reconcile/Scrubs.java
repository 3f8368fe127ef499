package io.strata.fleet.reconcile;

import io.strata.protocol.task.KeyOutcome;
import io.strata.protocol.task.KeyStatus;
import io.strata.protocol.task.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's record of scrubs: when each pool's copies of each shard were last re-read against
 * their checksums, and which copies were found wrong and are not repaired yet. Findings go to a
 * {@link Journal} ({@link ScrubStore} in ZooKeeper), and a new leader loads them: a copy found
 * wrong stays out of the count, as source and as proof of a deletion, across leader changes. A new
 * leader spreads the other scrubs over one interval. Thread-safe.
 */
public final class Scrubs {
  private static final Logger LOG = LoggerFactory.getLogger(Scrubs.class);

  /**
   * What is kept of one pool's copies of one shard.
   *
   * @param shard the shard's id
   * @param pool the pool
   * @param scrubbedAt when its last scrub was queued; the epoch when it is due again at once
   * @param wrong keys whose copy there does not match its checksum, not repaired yet
   */
  public record Record(String shard, String pool, Instant scrubbedAt, Set<String> wrong) {}

  /** Where the records are kept. Writes come from the leader only. */
  public interface Journal {
    public List<Record> load() throws Exception;

    void write(Record record) throws Exception;

    void delete(String shard, String pool) throws Exception;

    /** Keeps nothing: a new leader starts empty. */
    Journal NONE =
        new Journal() {
          @Override
          public List<Record> load() {
            return List.of();
          }

          @Override
          public void write(Record record) {}

          @Override
          public void delete(String shard, String pool) {}
        };
  }

  private final Duration interval;
  private final Journal journal;

  /**
   * Per shard, per pool: keys whose copy there does not match its checksum. Exactly these pairs
   * have a record in the journal.
   */
  private final Map<String, Map<String, Set<String>>> wrong = new ConcurrentHashMap<>();

  /** Per shard and pool: when its last scrub was queued. */
  private final Map<String, Instant> queuedAt = new ConcurrentHashMap<>();

  /**
   * Per shard and pool: when a scrub of its copies last came back, every copy it read checked
   * against its checksum. Kept by this leader only (see {@link #verifiedAt}).
   */
  private final Map<String, Instant> verifiedAt = new ConcurrentHashMap<>();

  public Scrubs(Duration interval) {
    this(interval, Journal.NONE);
  }

  public Scrubs(Duration interval, Journal journal) {
    this.interval = interval;
    this.journal = journal;
  }

  /**
   * Replaces what is known with the journal's records: a replica that has just become the leader.
   */
  public synchronized void load() throws Exception {
    wrong.clear();
    queuedAt.clear();
    verifiedAt.clear();
    for (Record r : journal.load()) {
      queuedAt.put(key(r.shard(), r.pool()), r.scrubbedAt());
      wrongOf(r.shard()).put(r.pool(), Set.copyOf(r.wrong()));
    }
    if (!wrong.isEmpty()) {
      LOG.info("scrubs: {} copies known wrong and not repaired yet", wrongCopies());
    }
  }

  /** Forgets a shard that was split; its halves are scrubbed afresh. */
  public synchronized void forgetShard(String shardId) throws Exception {
    Map<String, Set<String>> found = wrong.remove(shardId);
    if (found != null) {
      for (String pool : found.keySet()) {
        journal.delete(shardId, pool);
      }
    }
    queuedAt.keySet().removeIf(k -> k.startsWith(shardId + "|"));
    verifiedAt.keySet().removeIf(k -> k.startsWith(shardId + "|"));
  }

  /**
   * Whether the shard's copies on the pool are due for a scrub at {@code now}. A pair seen for the
   * first time is taken as scrubbed a fraction of an interval ago (by its hash), so that a new
   * leader spreads its first scrubs over one interval rather than reading everything at once.
   */
  public boolean due(String shardId, String pool, Instant now) {
    Instant last =
        queuedAt.computeIfAbsent(
            key(shardId, pool),
            k -> now.minus(interval.multipliedBy(k.hashCode() & 0xffff).dividedBy(0x10000)));
    return !last.plus(interval).isAfter(now);
  }

  public synchronized void queued(String shardId, String pool, Instant now) {
    queuedAt.put(key(shardId, pool), now);
  }

  /**
   * Records a scrub's result that came back at {@code at}: the keys it found wrong replace what was
   * known of the pool, and the pool's copies of the shard count as verified by content at {@code
   * at} (those found wrong excepted).
   */
  public synchronized void verified(String shardId, String pool, TaskResult result, Instant at)
      throws Exception {
    verified(shardId, pool, result);
    if (result.state() == io.strata.protocol.task.TaskState.SUCCEEDED
        || result.count(KeyStatus.MISMATCH) > 0) {
      verifiedAt.put(key(shardId, pool), at);
    }
  }

  /**
   * When a scrub of the shard's copies on the pool last came back while this replica led; null when
   * none has. Not journaled: at fleet scale that is a record per shard and pool, millions for a new
   * leader to read, so a new leader knows only the scrubs it has seen come back.
   */
  public Instant verifiedAt(String shardId, String pool) {
    return verifiedAt.get(key(shardId, pool));
  }

  /** Records a scrub's result: the keys it found wrong replace what was known of the pool. */
  public synchronized void verified(String shardId, String pool, TaskResult result)
      throws Exception {
    Set<String> found = new HashSet<>();
    result.keysWith(KeyStatus.MISMATCH).forEach(o -> found.add(o.key()));
    if (!found.isEmpty()) {
      LOG.warn(
          "scrub of shard {} on pool {}: {} copies do not match their checksum, first {}",
          shardId,
          pool,
          result.count(KeyStatus.MISMATCH),
          found.stream().sorted().findFirst().orElseThrow());
    }
    if (result.count(KeyStatus.MISMATCH) > found.size()) {
      // More than a result names: due again at once, to name the rest once these are repaired.
      queuedAt.put(key(shardId, pool), Instant.EPOCH);
    }
    replace(shardId, pool, found);
  }

  /** Records a repair's result: its keys that did not fail are right again on the pool. */
  public synchronized void repaired(
      String shardId, String pool, List<String> keys, TaskResult result) throws Exception {
    Set<String> known = wrongOf(shardId).get(pool);
    if (known == null) {
      return;
    }
    Set<String> failed = new HashSet<>();
    result.keysWith(KeyStatus.FAILED).stream().map(KeyOutcome::key).forEach(failed::add);
    Set<String> left = new HashSet<>(known);
    keys.stream().filter(key -> !failed.contains(key)).forEach(left::remove);
    replace(shardId, pool, left);
  }

  /**
   * Sets the copies of the shard known wrong on the pool, and journals them: a record while there
   * are any, none once there are none. A pair without findings is not journaled: at fleet scale
   * that is millions of records for a new leader to read, and spreading its first scrubs (see
   * {@link #due}) serves it as well.
   */
  private void replace(String shardId, String pool, Set<String> keys) throws Exception {
    Map<String, Set<String>> ofShard = wrongOf(shardId);
    if (!keys.isEmpty()) {
      ofShard.put(pool, Set.copyOf(keys));
      journal.write(
          new Record(
              shardId,
              pool,
              queuedAt.getOrDefault(key(shardId, pool), Instant.EPOCH),
              ofShard.get(pool)));
    } else if (ofShard.remove(pool) != null) {
      journal.delete(shardId, pool);
    }
    if (ofShard.isEmpty()) {
      wrong.remove(shardId);
    }
  }

  private Map<String, Set<String>> wrongOf(String shardId) {
    return wrong.computeIfAbsent(shardId, k -> new ConcurrentHashMap<>());
  }

  /** The copies of the shard known wrong, by pool. */
  public Map<String, Set<String>> wrongIn(String shardId) {
    return Map.copyOf(wrong.getOrDefault(shardId, Map.of()));
  }

  /** Copies known wrong and not repaired yet. */
  public long wrongCopies() {
    return wrong.values().stream()
        .flatMap(byPool -> byPool.values().stream())
        .mapToLong(Set::size)
        .sum();
  }

  private static String key(String shardId, String pool) {
    return shardId + "|" + pool;
  }
}
