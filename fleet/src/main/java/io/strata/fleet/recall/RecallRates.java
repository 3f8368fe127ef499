package io.strata.fleet.recall;

import java.util.HashMap;
import java.util.Map;

/**
 * How fast each recall's bytes come back to the hot tier, for its ETA: an exponentially weighted
 * average of hot bytes gained per second between samples, as the drain rate is kept. Sampled once
 * per reconcile round with the rounds' progress. Thread-safe.
 */
public final class RecallRates {
  private record Sample(long hotBytes, long nanos, double rate) {}

  private final Map<String, Sample> samples = new HashMap<>();

  /** Records the progress of every recall at {@code nanos} (a monotonic clock); forgets others. */
  public synchronized void sample(Map<String, RecallProgress> progress, long nanos) {
    samples.keySet().retainAll(progress.keySet());
    progress.forEach(
        (id, p) -> {
          Sample before = samples.get(id);
          double rate = 0;
          if (before != null && nanos > before.nanos()) {
            double now = (p.hotBytes() - before.hotBytes()) / ((nanos - before.nanos()) / 1e9);
            rate = before.rate() == 0 ? Math.max(now, 0) : 0.8 * before.rate() + 0.2 * now;
          }
          samples.put(id, new Sample(p.hotBytes(), nanos, Math.max(rate, 0)));
        });
  }

  /**
   * Seconds until the recall's remaining bytes are hot at its recent rate: 0 when none remain, null
   * while nothing has come back yet to measure a rate by.
   */
  public synchronized Long etaSeconds(String id, RecallProgress progress) {
    if (progress.remainingBytes() <= 0) {
      return 0L;
    }
    Sample s = samples.get(id);
    if (s == null || s.rate() <= 0) {
      return null;
    }
    return (long) Math.ceil(progress.remainingBytes() / s.rate());
  }
}
