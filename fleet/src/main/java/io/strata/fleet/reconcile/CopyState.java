package io.strata.fleet.reconcile;

import java.util.Locale;

/** How well an object's copies match what its phase requires, best first. */
public enum CopyState {
  /** Every required copy exists on the pools placement chose, and no other. */
  OK,
  /** Enough good copies, but not all where placement wants them (or extra ones). */
  MISPLACED,
  /** Fewer good copies than the phase requires. */
  UNDER_REPLICATED,
  /** At most one good copy where more are required (not counting fresh landing uploads). */
  AT_RISK;

  /** The label value used in metrics. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
