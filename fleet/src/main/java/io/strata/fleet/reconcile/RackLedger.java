package io.strata.fleet.reconcile;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of leased copies going through each rack, held against a {@link RackBudget}. A copy is
 * released from the racks it was charged to, whatever the map says by then. Not thread-safe: the
 * task queue guards it.
 */
final class RackLedger {
  private final RackBudget budget;
  private final Map<String, Long> inFlight = new HashMap<>();
  private final Map<String, Set<String>> charged = new HashMap<>();

  RackLedger(RackBudget budget) {
    this.budget = budget;
  }

  void clear() {
    inFlight.clear();
    charged.clear();
  }

  /** Whether leasing {@code q} keeps every rack it goes through within the budget. */
  boolean admits(QueuedTask q) {
    if (!budget.capped() || q.bytes() <= 0) {
      return true;
    }
    for (String rack : budget.racksOf().apply(q.task())) {
      long used = inFlight.getOrDefault(rack, 0L);
      if (used > 0 && used + q.bytes() > budget.limit()) {
        return false;
      }
    }
    return true;
  }

  /** Charges a leased task to its racks. */
  void charge(QueuedTask q) {
    if (budget.capped() && q.bytes() > 0) {
      Set<String> racks = budget.racksOf().apply(q.task());
      racks.forEach(rack -> inFlight.merge(rack, q.bytes(), Long::sum));
      charged.put(q.task().id(), racks);
    }
  }

  /** Releases a task that is no longer leased (or is about to be stored anew). */
  void release(QueuedTask q) {
    Set<String> racks = charged.remove(q.task().id());
    if (racks != null) {
      racks.forEach(
          rack -> inFlight.computeIfPresent(rack, (k, n) -> n <= q.bytes() ? null : n - q.bytes()));
    }
  }

  long inFlight(String rack) {
    return inFlight.getOrDefault(rack, 0L);
  }
}
