package io.strata.fleet.reconcile;

/** Whether the copies on a pool can be used, as the reconciler sees it. */
public enum PoolAvailability {
  /** An up agent serves the pool: its copies count, can be read, written and deleted. */
  AVAILABLE,
  /**
   * No up agent serves it, but for less than the grace period: its copies still count (a node that
   * comes back in time moves nothing) but are neither read nor deleted.
   */
  IN_GRACE,
  /** Unserved past the grace period: its copies do not count and are re-replicated. */
  LOST
}
