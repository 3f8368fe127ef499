package io.strata.fleet.reconcile;

import java.util.Locale;

/** Why data moved, as metrics report it. */
public enum MoveReason {
  /** Copies missing or at risk were made again. */
  REPAIR,
  /** New objects from landing pools were placed. */
  BACKFILL,
  /** Objects changed phase. */
  TRANSITION,
  /** Recalled objects came back to the hot tier. */
  RECALL,
  /** Placement changed with weights or new pools, or copies were stamped. */
  REBALANCE,
  /** Copies left a draining pool. */
  DRAIN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static MoveReason of(TaskPriority priority) {
    return switch (priority) {
      case DATA_AT_RISK, MISSING_COPY -> REPAIR;
      case INGEST -> BACKFILL;
      case TRANSITION -> TRANSITION;
      case RECALL -> RECALL;
      case DRAIN -> DRAIN;
      case REBALANCE, SCAN, SCRUB_DEADLINE, EXPIRY -> REBALANCE; // These copy nothing.
    };
  }
}
