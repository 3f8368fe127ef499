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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's record of scrubs: when each pool's copies of each shard were last re-read against
 * their checksums, and which copies were found wrong and are not repaired yet. Findings go to a
 * {@link Journal} (the scrub store in ZooKeeper), and a new leader loads them: a copy found wrong
 * stays out of the count, as source and as proof of a deletion, across leader changes. The times of
 * verification are kept in {@link VerificationTimes}, so that a new leader scrubs first what was
 * verified longest ago; copies it knows no verification of are spread over one interval. See {@link
 * ScrubSchedule} for the order. Thread-safe.
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
  private final VerificationTimes times;

  /**
   * Per shard, per pool: keys whose copy there does not match its checksum. Exactly these pairs
   * have a record in the journal.
   */
  private final Map<String, Map<String, Set<String>>> wrong = new ConcurrentHashMap<>();

  /** Per shard and pool: when its last scrub was queued. */
  private final Map<String, Instant> queuedAt = new ConcurrentHashMap<>();

  /**
   * Per shard and pool without a known verification: when it is taken to have been verified, fixed
   * the first time it is asked for (see {@link #lastVerified}).
   */
  private final Map<String, Instant> assumed = new ConcurrentHashMap<>();

  /** Pairs whose last scrub found more wrong copies than it named: scrubbed again first. */
  private final Set<String> again = ConcurrentHashMap.newKeySet();

  /**
   * Moves whenever a pair may have fallen due sooner than {@link #dueAt} said before: see {@link
   * #sooner}.
   */
  private final AtomicLong sooner = new AtomicLong();

  public Scrubs(Duration interval) {
    this(interval, Journal.NONE, new VerificationTimes(VerificationTimes.Store.NONE));
  }

  public Scrubs(Duration interval, Journal journal) {
    this(interval, journal, new VerificationTimes(VerificationTimes.Store.NONE));
  }

  public Scrubs(Duration interval, Journal journal, VerificationTimes times) {
    this.interval = interval;
    this.journal = journal;
    this.times = times;
  }

  /**
   * Replaces what is known with the journal's records and the kept verification times: a replica
   * that has just become the leader.
   */
  public synchronized void load() throws Exception {
    sooner.incrementAndGet();
    wrong.clear();
    queuedAt.clear();
    assumed.clear();
    again.clear();
    for (Record r : journal.load()) {
      queuedAt.put(key(r.shard(), r.pool()), r.scrubbedAt());
      wrongOf(r.shard()).put(r.pool(), Set.copyOf(r.wrong()));
    }
    long known = times.load();
    LOG.info("scrubs: verification times of {} copies (shard and pool) known", known);
    if (!wrong.isEmpty()) {
      LOG.info("scrubs: {} copies known wrong and not repaired yet", wrongCopies());
    }
  }

  /** Keeps the verification times recorded since the last call; see {@link VerificationTimes}. */
  public int flush() {
    return times.flush();
  }

  /** Forgets a shard that was split; its halves are scrubbed afresh. */
  public synchronized void forgetShard(String shardId) throws Exception {
    sooner.incrementAndGet();
    Map<String, Set<String>> found = wrong.remove(shardId);
    if (found != null) {
      for (String pool : found.keySet()) {
        journal.delete(shardId, pool);
      }
    }
    queuedAt.keySet().removeIf(k -> k.startsWith(shardId + "|"));
    assumed.keySet().removeIf(k -> k.startsWith(shardId + "|"));
    again.removeIf(k -> k.startsWith(shardId + "|"));
    times.forgetShard(shardId);
  }

  /**
   * When the shard's copies on the pool were last verified by content; for a pair no verification
   * of which is known (copies never scrubbed, or a first start), a fraction of an interval before
   * it was first asked for (by its hash), so that such copies fall due spread over one interval
   * rather than all at once. The epoch for a pair whose last scrub found more wrong copies than it
   * could name: it is scrubbed again first, to name the rest.
   */
  public Instant lastVerified(String shardId, String pool, Instant now) {
    return lastVerified(key(shardId, pool), shardId, pool, now);
  }

  private Instant lastVerified(String key, String shardId, String pool, Instant now) {
    if (again.contains(key)) {
      return Instant.EPOCH;
    }
    Instant known = times.at(shardId, pool);
    if (known != null) {
      return known;
    }
    return assumed.computeIfAbsent(
        key, k -> now.minus(interval.multipliedBy(k.hashCode() & 0xffff).dividedBy(0x10000)));
  }

  /**
   * Whether a scrub of the shard's copies on the pool was queued within the last {@code interval}
   * or hour, whichever is shorter: one that came back without verifying (its agent stopped, the
   * pool unreachable) is tried again after that, not at once.
   */
  public boolean queuedLately(String shardId, String pool, Instant now) {
    Instant at = queuedAt.get(key(shardId, pool));
    return at != null && at.plus(retryWait()).isAfter(now);
  }

  /** Whether the shard's copies on the pool are due for a scrub at {@code now}. */
  public boolean due(String shardId, String pool, Instant now) {
    return !dueAt(shardId, pool, now).isAfter(now);
  }

  /**
   * When the shard's copies on the pool fall due for a scrub ({@link #due} from then on): a
   * verification interval after their {@link #lastVerified}, and not before the wait after a scrub
   * queued ({@link #queuedLately}). Later than that only as long as {@link #sooner} stays the same:
   * a leader's load, a split shard, a scrub that named fewer wrong copies than it found.
   */
  public Instant dueAt(String shardId, String pool, Instant now) {
    String key = key(shardId, pool);
    Instant due = lastVerified(key, shardId, pool, now).plus(interval);
    Instant queued = queuedAt.get(key);
    if (queued != null && queued.plus(retryWait()).isAfter(due)) {
      due = queued.plus(retryWait());
    }
    return due;
  }

  /**
   * A number that moves whenever a pair may have fallen due sooner than an earlier {@link #dueAt}
   * answered: a caller that keeps such answers asks again once it moved. Queuing and verifying only
   * put pairs' times later.
   */
  public long sooner() {
    return sooner.get();
  }

  /** How long after a scrub was queued it is not queued again: the interval, at most an hour. */
  private Duration retryWait() {
    return interval.compareTo(Duration.ofHours(1)) < 0 ? interval : Duration.ofHours(1);
  }

  public synchronized void queued(String shardId, String pool, Instant now) {
    queuedAt.put(key(shardId, pool), now);
    again.remove(key(shardId, pool));
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
      times.verified(shardId, pool, at);
      assumed.remove(key(shardId, pool));
    }
  }

  /**
   * When a scrub of the shard's copies on the pool last came back, as kept across leader changes
   * (see {@link VerificationTimes}); null when none is known.
   */
  public Instant verifiedAt(String shardId, String pool) {
    return times.at(shardId, pool);
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
      queuedAt.remove(key(shardId, pool));
      again.add(key(shardId, pool));
      sooner.incrementAndGet();
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
