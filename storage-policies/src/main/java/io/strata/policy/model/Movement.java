package io.strata.policy.model;

import java.util.List;

/**
 * How tier transitions of a policy's objects are paced. Repairs of data at risk (fewer copies than
 * the phase requires) ignore windows and caps: they always run first.
 *
 * @param priority 0 to 100; among transitions competing for the same bandwidth, higher goes first
 * @param bandwidth cap on this policy's transition traffic across the fleet; {@code null} for no
 *     cap beyond the fleet's own budgets
 * @param windows when transitions may run, in the policy's time zone; empty for any time
 */
public record Movement(int priority, Bandwidth bandwidth, List<TimeWindow> windows) {
  /** The priority of a policy that names none. */
  public static final int DEFAULT_PRIORITY = 50;

  /** No windows, no cap, the default priority. */
  public static final Movement DEFAULT = new Movement(DEFAULT_PRIORITY, null, List.of());

  public Movement {
    if (priority < 0 || priority > 100) {
      throw new IllegalArgumentException("priority " + priority + " is not in 0..100");
    }
    windows = List.copyOf(windows);
  }
}
