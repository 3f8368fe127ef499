package io.strata.fleet.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Which copies a round scrubs, and whether the scrub budgets can verify every copy within the
 * deadline. Pure: the round passes the copies, their last verification and the free slots in.
 *
 * <p>A copy falls due {@code interval} after its last verification; due copies go oldest first. One
 * past half of the time between falling due and its deadline goes at {@link
 * TaskPriority#SCRUB_DEADLINE}, above every voluntary movement and below repairs, ingest and
 * recalls, and may take any free slot of its pool; a routine scrub goes at {@link
 * TaskPriority#SCAN} and takes at most a quarter of a pool's slots, so that a fleet catching up on
 * its scrubs (a new deployment, a deadline shortened) leaves the rest of each pool's queue to other
 * work.
 */
public final class ScrubSchedule {
  /**
   * @param interval a copy falls due this long after its last verification
   * @param deadline every copy is to be verified at least this often
   * @param bytesPerSecond the bytes per second one pool may re-read for scrubs; 0 for no cap
   */
  public record Settings(Duration interval, Duration deadline, long bytesPerSecond) {
    public Settings {
      if (interval.compareTo(deadline) > 0) {
        throw new IllegalArgumentException(
            "scrubInterval " + interval + " is longer than scrubDeadline " + deadline);
      }
    }

    /** When a copy last verified at {@code last} goes at the deadline's priority. */
    Instant urgentAt(Instant last) {
      return last.plus(interval).plus(deadline.minus(interval).dividedBy(2));
    }
  }

  /**
   * One pool's copies of one shard.
   *
   * @param shard the shard
   * @param scan the pool's last scan of the shard
   * @param lastVerified when the copies were last verified, or taken to have been (see {@link
   *     Scrubs#lastVerified})
   */
  public record Candidate(Shard shard, PoolScan scan, Instant lastVerified) {
    public String pool() {
      return scan.pool();
    }

    /** The bytes the scan lists: one pass over its objects, asked of the copies picked only. */
    public long bytes() {
      return scan.bytes();
    }
  }

  /**
   * What one pool holds of one shard, for the figures.
   *
   * @param pool the pool
   * @param bytes the bytes of its copies
   * @param lastVerified when they were last verified, or taken to have been
   */
  public record Held(String pool, long bytes, Instant lastVerified) {}

  /** A scrub to queue. */
  public record Scrub(Candidate candidate, TaskPriority priority) {}

  /**
   * One pool's figures: whether its scrub budget reads everything it holds within the deadline.
   *
   * @param bytes the bytes the pool holds, by the leader's scans
   * @param passSeconds seconds one scrub of all of them takes at the pool's scrub budget; 0 with no
   *     cap
   * @param feasible whether that is within the deadline
   * @param overdue copies (shard and pool) whose last verification is older than the deadline
   */
  public record PoolFigures(long bytes, double passSeconds, boolean feasible, long overdue) {
    /** {@link #passSeconds} in days. */
    public double passDays() {
      return passSeconds / 86_400.0;
    }
  }

  private static final Comparator<Candidate> OLDEST_FIRST =
      Comparator.comparing(Candidate::lastVerified)
          .thenComparing(c -> c.shard().id())
          .thenComparing(Candidate::pool);

  private ScrubSchedule() {}

  /** Whether the copy is due at {@code now}. */
  public static boolean due(Candidate c, Instant now, Settings s) {
    return !c.lastVerified().plus(s.interval()).isAfter(now);
  }

  /** The priority of a due copy's scrub at {@code now}. */
  public static TaskPriority priority(Candidate c, Instant now, Settings s) {
    return s.urgentAt(c.lastVerified()).isAfter(now)
        ? TaskPriority.SCAN
        : TaskPriority.SCRUB_DEADLINE;
  }

  /**
   * The scrubs to queue this round, oldest verification first.
   *
   * @param candidates the copies to consider, due or not
   * @param free per pool, the slots of its queue free this round; a pool not named has none
   * @param routine per pool, how many more routine scrubs it may have queued
   */
  public static List<Scrub> pick(
      List<Candidate> candidates,
      Instant now,
      Settings s,
      Map<String, Integer> free,
      Map<String, Integer> routine) {
    // Only each pool's `free` oldest due copies can be picked (those near the deadline are the
    // oldest, so they come first), so each pool keeps that many in a bounded heap rather than the
    // whole backlog being sorted: a fleet behind on its scrubs has a million due copies and a few
    // free slots per pool.
    Map<String, PriorityQueue<Candidate>> oldest = new HashMap<>();
    for (Candidate c : candidates) {
      int slots = free.getOrDefault(c.pool(), 0);
      if (slots <= 0 || !due(c, now, s)) {
        continue;
      }
      PriorityQueue<Candidate> kept =
          oldest.computeIfAbsent(c.pool(), p -> new PriorityQueue<>(OLDEST_FIRST.reversed()));
      if (kept.size() < slots) {
        kept.add(c);
      } else if (OLDEST_FIRST.compare(c, kept.peek()) < 0) {
        kept.poll();
        kept.add(c);
      }
    }
    List<Candidate> due = new ArrayList<>();
    oldest.values().forEach(due::addAll);
    due.sort(OLDEST_FIRST);
    Map<String, Integer> freeLeft = new HashMap<>(free);
    Map<String, Integer> routineLeft = new HashMap<>(routine);
    List<Scrub> out = new ArrayList<>();
    for (Candidate c : due) {
      int slots = freeLeft.getOrDefault(c.pool(), 0);
      if (slots <= 0) {
        continue;
      }
      TaskPriority priority = priority(c, now, s);
      if (priority == TaskPriority.SCAN) {
        int left = routineLeft.getOrDefault(c.pool(), 0);
        if (left <= 0) {
          continue;
        }
        routineLeft.put(c.pool(), left - 1);
      }
      freeLeft.put(c.pool(), slots - 1);
      out.add(new Scrub(c, priority));
    }
    return out;
  }

  /**
   * Per pool, the bytes its copies hold, the time a scrub of all of them takes at its budget, and
   * whether that fits the deadline. Reading at the budget is the most scrubs can do; a pool whose
   * agent reads slower, or whose queue is kept full by other work, takes longer.
   */
  public static Map<String, PoolFigures> figures(List<Held> held, Instant now, Settings s) {
    Map<String, long[]> byPool = new TreeMap<>();
    for (Held c : held) {
      long[] f = byPool.computeIfAbsent(c.pool(), k -> new long[2]);
      f[0] += c.bytes();
      if (!c.lastVerified().plus(s.deadline()).isAfter(now)) {
        f[1]++;
      }
    }
    Map<String, PoolFigures> out = new TreeMap<>();
    byPool.forEach(
        (pool, f) -> {
          double seconds = s.bytesPerSecond() <= 0 ? 0 : f[0] / (double) s.bytesPerSecond();
          out.put(pool, new PoolFigures(f[0], seconds, seconds <= s.deadline().toSeconds(), f[1]));
        });
    return out;
  }
}
