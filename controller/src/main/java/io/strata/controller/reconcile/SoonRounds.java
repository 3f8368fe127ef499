package io.strata.controller.reconcile;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a round asked for before its interval runs ({@link Reconciler#roundSoon}): at most one is
 * pending however many ask, and it starts {@link #MIN_GAP} (or the interval, if shorter) after the
 * last round ended at the soonest, or four times the CPU time the last round took, so that rounds
 * asked for take at most a fifth of a core. CPU time rather than wall time: a round's wall time on
 * a busy machine is mostly waiting for a core (at 100,000 shards, 0.14 s on average and over a
 * second when a burst of heartbeats came in with it), and a round asked for then waited four times
 * that. Thread-safe; times are {@link System#nanoTime} values.
 */
final class SoonRounds {
  /** The least time between a round and one asked for. */
  static final Duration MIN_GAP = Duration.ofSeconds(1);

  private final long minGapNanos;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile long lastTookNanos;
  private volatile long lastEndedNanos;

  SoonRounds(Duration interval, long nowNanos) {
    this.minGapNanos = Math.min(MIN_GAP.toNanos(), interval.toNanos());
    this.lastEndedNanos = nowNanos;
  }

  /**
   * Asks for a round: how long from {@code nowNanos} until it may run, or -1 when one is pending
   * already (it serves this ask too).
   */
  long ask(long nowNanos) {
    if (!pending.compareAndSet(false, true)) {
      return -1;
    }
    long gap = Math.max(minGapNanos, 4 * lastTookNanos);
    return Math.max(0, lastEndedNanos + gap - nowNanos);
  }

  /** The round asked for could not be scheduled: the next ask schedules one. */
  void dropped() {
    pending.set(false);
  }

  /** A round starts, whoever asked for it: it serves every ask before now. */
  void started() {
    pending.set(false);
  }

  /**
   * A round ended.
   *
   * @param cpuNanos the CPU time its thread took for it; negative when not known (its wall time
   *     then counts)
   */
  void ended(long startedNanos, long endedNanos, long cpuNanos) {
    lastTookNanos = cpuNanos >= 0 ? cpuNanos : endedNanos - startedNanos;
    lastEndedNanos = endedNanos;
  }
}
