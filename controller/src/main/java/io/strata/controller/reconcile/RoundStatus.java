package io.strata.controller.reconcile;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How this replica's reconcile rounds went: the last round's id and outcome, and every failure
 * counted, so that a round that fails is seen on {@code /api/v1/leader} and in {@code
 * strata_reconcile_round_failures_total}, not only in a log line. Thread-safe: the round's thread
 * writes, the API and metrics read.
 */
public final class RoundStatus {
  private final AtomicLong failures = new AtomicLong();
  private volatile View view = new View(null, null, null, 0, null, null, null);

  /**
   * What the API shows.
   *
   * @param lastRound the id of the last round started (its log lines carry it as {@code round})
   * @param lastRoundAt when it started
   * @param lastSuccessAt when the last round that finished without error started; null if none
   * @param failures rounds that failed since this replica started
   * @param lastFailedRound the id of the last round that failed; null if none
   * @param lastFailureAt when it started
   * @param lastError what it failed with (the exception's class and message)
   */
  public record View(
      String lastRound,
      Instant lastRoundAt,
      Instant lastSuccessAt,
      long failures,
      String lastFailedRound,
      Instant lastFailureAt,
      String lastError) {}

  void started(String round, Instant at) {
    View v = view;
    view =
        new View(
            round,
            at,
            v.lastSuccessAt(),
            v.failures(),
            v.lastFailedRound(),
            v.lastFailureAt(),
            v.lastError());
  }

  void succeeded() {
    View v = view;
    view =
        new View(
            v.lastRound(),
            v.lastRoundAt(),
            v.lastRoundAt(),
            v.failures(),
            v.lastFailedRound(),
            v.lastFailureAt(),
            v.lastError());
  }

  void failed(String round, Instant at, Exception e) {
    View v = view;
    view =
        new View(
            v.lastRound(),
            v.lastRoundAt(),
            v.lastSuccessAt(),
            failures.incrementAndGet(),
            round,
            at,
            e.toString());
  }

  /** Rounds that failed since this replica started. */
  public long failures() {
    return failures.get();
  }

  public View view() {
    return view;
  }
}
