package io.strata.fleet.reconcile;

/** Why a task exists, highest priority first. */
public enum TaskPriority {
  /** An object has at most one usable copy while its phase requires more. */
  DATA_AT_RISK,
  /** An object has fewer usable copies than its phase requires. */
  MISSING_COPY,
  /** A new object exists only in a landing pool. */
  INGEST,
  /** A recall brings a copy back to the hot tier before the data is used. */
  RECALL,
  /**
   * A copy nears the time by which it must have been re-read against its checksum ({@code
   * reconcile.scrubDeadline}), or is past it.
   */
  SCRUB_DEADLINE,
  /** An object's phase changed: copies move to another tier or spread. */
  TRANSITION,
  /** Copies leave a draining pool. */
  DRAIN,
  /** Copies follow a weight change or a new pool. */
  REBALANCE,
  /** Data past its policy's expiry is destroyed, as an approved expiry says. */
  EXPIRY,
  /** A pool's contents are listed (or re-read) to know what it holds; routine scrubs. */
  SCAN;

  /** Whether tasks of this priority read (scans, scrubs) rather than move or delete. */
  public boolean reads() {
    return this == SCAN || this == SCRUB_DEADLINE;
  }
}
