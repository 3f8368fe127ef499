package io.strata.controller.relay;

import io.dropwizard.lifecycle.Managed;
import io.strata.protocol.heartbeat.WorkAnswer;
import jakarta.ws.rs.container.AsyncResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Wakes idle agents when work is queued for one of their pools. A task is leased only with a
 * heartbeat: without a wake-up, a repair queued just after an idle agent's heartbeat waits up to
 * its whole interval (10 s) for the next, and at a size where the bytes take seconds that wait is
 * most of a repair's time. An idle agent therefore holds a wait ({@code GET
 * /api/v1/agents/{id}/work}, {@link #hold}) on the replica it beats to; when work for one of its
 * pools is queued, the wait is answered and the agent beats at once. Busy agents do not wait: they
 * beat when a task ends.
 *
 * <p>On the leader the task queue signals the pools of the work it queues ({@link #workFor}: a task
 * queued, or given back after its agent stopped it or its lease lapsed; not a task failed and held
 * back). Signals are coalesced and handled on a thread of their own, never under the queue's lock:
 * each pool signalled gets a version on the board, a record of the last {@value #HISTORY} pools
 * signalled that followers read once a second while agents wait on them ({@link #since}, {@link
 * HeartbeatRelay}), and the waits held here on it are answered. A follower wakes its own waits from
 * what it reads ({@link #wake}). Work queued between an agent's heartbeat and its wait reaching the
 * replica, or missed by a follower whose reads fell behind the board, waits for the agent's next
 * heartbeat, as it did before wake-ups.
 *
 * <p>Bounded: a replica holds at most {@code maxWaiting} waits (each an open connection); an agent
 * asking beyond is answered at once and beats on its schedule. One wait per agent: a new one ends
 * the one before. Thread-safe.
 */
public final class WorkSignals implements Managed {
  /** Pools signalled that the board remembers for followers' reads. */
  public static final int HISTORY = 65_536;

  /** The default of the most waits a replica holds. */
  public static final int MAX_WAITING = 20_000;

  /** The longest wait an agent may ask for. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(10);

  /**
   * What a follower reads of the leader's board.
   *
   * @param board the board's identity: a new leader has a new board, whose versions start again
   * @param version the board's version now
   * @param pools the pools signalled after the version asked about, each once; null when that
   *     version is not of this board, or older than its history (the follower reads on from {@code
   *     version} and wakes nothing for what it missed)
   */
  public record Read(String board, long version, List<String> pools) {}

  private record Waiter(String agent, Set<String> pools, AsyncResponse answer) {}

  private final int maxWaiting;
  private final Duration recheck;
  private final String board = UUID.randomUUID().toString();

  // Guarded by this.
  private final Map<String, Waiter> byAgent = new HashMap<>();
  private final Map<String, Set<Waiter>> byPool = new HashMap<>();
  private final LinkedHashSet<String> pending = new LinkedHashSet<>();
  private final String[] history = new String[HISTORY];
  private long version;
  private long woken;
  private boolean closed; // The server stops: no wait is held any more.

  private volatile Thread thread;
  private volatile Supplier<Look> leasable = () -> new Look(Set.of(), null);
  private Set<String> lastLeasable = Set.of(); // The signals thread's.

  /**
   * Pools a wait was held on since the last look: the agent found no work it could lease there, so
   * the next look that finds some signals them, though the look before may have found some too
   * (work leasable at both looks and taken by another agent between them).
   */
  private final Set<String> heldOn = ConcurrentHashMap.newKeySet();

  /**
   * How often at the longest the pools whose work was held back are looked at again ({@link
   * #watch}); sooner when a look says when held-back work becomes leasable.
   */
  public static final Duration RECHECK = Duration.ofSeconds(1);

  /**
   * The least time between two looks: also at least four times what the last look took, so that
   * looks take at most a fifth of the signals thread whatever the queue's length.
   */
  static final Duration MIN_LOOK = Duration.ofMillis(50);

  /**
   * What a look at held-back work found.
   *
   * @param pools the pools whose agents could lease work now
   * @param again how soon held-back work could become leasable with time (a budget paying back a
   *     copy, a back-off ending), when the next look is due; null when none is held back by time
   *     alone (the next look comes after {@link #RECHECK})
   */
  public record Look(Set<String> pools, Duration again) {
    public Look {
      pools = Set.copyOf(pools);
    }
  }

  public WorkSignals() {
    this(MAX_WAITING);
  }

  /**
   * @param maxWaiting the most waits held at once
   */
  public WorkSignals(int maxWaiting) {
    this(maxWaiting, RECHECK);
  }

  /**
   * @param maxWaiting the most waits held at once
   * @param recheck the longest time between two looks at held-back work ({@link #RECHECK})
   */
  WorkSignals(int maxWaiting, Duration recheck) {
    this.maxWaiting = maxWaiting;
    this.recheck = recheck;
  }

  /**
   * Work held back (by a rack's or a room's budget, a back-off after a failure, a delete waiting
   * for another of its shard) becomes leasable as time passes or other tasks end, and nothing is
   * queued then to signal it: the signals thread asks {@code leasable} which pools have work that
   * could be leased now, and signals those that had none at its last look or on which a wait was
   * held since; it looks again when the answer says held-back work becomes leasable (a budget's
   * copy paid back), {@link #MIN_LOOK} after the last look at the soonest, and after {@link
   * #RECHECK} at the latest. Empty on a replica that does not lead.
   */
  public void watch(Supplier<Look> leasable) {
    this.leasable = leasable;
  }

  @Override
  public void start() {
    Thread t = new Thread(this::run, "work-signals");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public void stop() throws InterruptedException {
    Thread t = thread;
    thread = null;
    if (t != null) {
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(5));
    }
    endAll();
  }

  /**
   * Answers every wait held here without work, and every wait asked from now on at once: when the
   * server begins to stop, whose graceful shutdown would otherwise wait for them (an agent whose
   * wait ended may ask again while the server still answers).
   */
  public void endAll() {
    List<Waiter> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(byAgent.values());
      byAgent.clear();
      byPool.clear();
    }
    all.forEach(w -> w.answer().resume(new WorkAnswer(false)));
  }

  /**
   * Holds {@code answer} until work is queued for one of {@code pools} ({@code work: true}), or
   * {@code wait} has passed ({@code work: false}); answers at once when this replica holds its most
   * waits already, or is stopping ({@link #endAll}). Ends the agent's wait held before, if any.
   */
  public void hold(String agent, Set<String> pools, Duration wait, AsyncResponse answer) {
    Waiter waiter = new Waiter(agent, Set.copyOf(pools), answer);
    Waiter before;
    synchronized (this) {
      before = byAgent.get(agent);
      if (before != null) {
        remove(before);
      }
      if (closed || byAgent.size() >= maxWaiting) {
        waiter = null;
      } else {
        byAgent.put(agent, waiter);
        heldOn.addAll(waiter.pools());
        for (String pool : waiter.pools()) {
          byPool.computeIfAbsent(pool, p -> new HashSet<>()).add(waiter);
        }
      }
    }
    if (before != null) {
      before.answer().resume(new WorkAnswer(false));
    }
    if (waiter == null) {
      answer.resume(new WorkAnswer(false));
      return;
    }
    Waiter held = waiter;
    answer.setTimeoutHandler(
        r -> {
          synchronized (this) {
            if (byAgent.get(held.agent()) == held) {
              remove(held);
            }
          }
          r.resume(new WorkAnswer(false));
        });
    answer.setTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Answers the agent's wait held here with {@code answer} at once, with work: its caller found
   * work leasable for it after holding it. Work signalled between a check before the hold and the
   * hold itself woke no one, and a pool that stays leasable is not signalled again: the agent would
   * wait out its wait. Does nothing when that wait is no longer held.
   */
  public void answerHeld(String agent, AsyncResponse answer) {
    Waiter held;
    synchronized (this) {
      held = byAgent.get(agent);
      if (held == null || held.answer() != answer) {
        return;
      }
      remove(held);
      woken++;
    }
    held.answer().resume(new WorkAnswer(true));
  }

  /**
   * Work was queued for {@code pool}: noted at once, acted on by this object's thread. Called under
   * the task queue's lock; never blocks.
   */
  public void workFor(String pool) {
    synchronized (this) {
      if (pending.add(pool) && pending.size() == 1) {
        notifyAll();
      }
    }
  }

  /** Answers the waits held here on any of {@code pools}: a follower's, from the leader's board. */
  public void wake(List<String> pools) {
    List<Waiter> due = new ArrayList<>();
    synchronized (this) {
      for (String pool : pools) {
        Set<Waiter> on = byPool.get(pool);
        if (on != null) {
          for (Waiter w : List.copyOf(on)) {
            remove(w);
            due.add(w);
          }
        }
      }
      woken += due.size();
    }
    for (Waiter w : due) {
      w.answer().resume(new WorkAnswer(true));
    }
  }

  /** What the board holds after {@code version} of {@code board} (see {@link Read}). */
  public synchronized Read since(String board, long version) {
    if (!this.board.equals(board) || version > this.version) {
      return new Read(this.board, this.version, null);
    }
    if (this.version - version > HISTORY) {
      return new Read(this.board, this.version, null);
    }
    LinkedHashSet<String> pools = new LinkedHashSet<>();
    for (long v = version + 1; v <= this.version; v++) {
      pools.add(history[(int) (v % HISTORY)]);
    }
    return new Read(this.board, this.version, List.copyOf(pools));
  }

  /** The waits held now. */
  public synchronized int waiting() {
    return byAgent.size();
  }

  /** Waits answered with work so far. */
  public synchronized long woken() {
    return woken;
  }

  /**
   * Signals the pools whose work became leasable since the last look; returns in how many
   * nanoseconds to look again.
   */
  private long lookAgain() {
    long started = System.nanoTime();
    Look look;
    try {
      look = leasable.get();
    } catch (RuntimeException e) {
      return recheck.toNanos(); // Looked at again in a second.
    }
    Set<String> before = lastLeasable;
    if (!heldOn.isEmpty()) {
      before = new HashSet<>(before);
      for (var it = heldOn.iterator(); it.hasNext(); ) {
        before.remove(it.next());
        it.remove();
      }
    }
    lastLeasable = look.pools();
    for (String pool : look.pools()) {
      if (!before.contains(pool)) {
        workFor(pool);
      }
    }
    long again = look.again() == null ? recheck.toNanos() : look.again().toNanos();
    long least = Math.max(MIN_LOOK.toNanos(), 4 * (System.nanoTime() - started));
    return Math.min(recheck.toNanos(), Math.max(least, again));
  }

  private void remove(Waiter w) {
    byAgent.remove(w.agent());
    for (String pool : w.pools()) {
      Set<Waiter> on = byPool.get(pool);
      if (on != null && on.remove(w) && on.isEmpty()) {
        byPool.remove(pool);
      }
    }
  }

  private void run() {
    long nextLook = System.nanoTime();
    while (thread != null) {
      if (System.nanoTime() - nextLook >= 0) {
        long looked = System.nanoTime();
        nextLook = looked + lookAgain();
      }
      List<String> pools;
      synchronized (this) {
        long left = nextLook - System.nanoTime();
        if (pending.isEmpty() && left > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (pending.isEmpty()) {
          continue;
        }
        pools = new ArrayList<>(pending);
        pending.clear();
        for (String pool : pools) {
          version++;
          history[(int) (version % HISTORY)] = pool;
        }
      }
      wake(pools);
    }
  }
}
