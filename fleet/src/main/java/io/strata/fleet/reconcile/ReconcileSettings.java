package io.strata.fleet.reconcile;

import java.time.Duration;

/**
 * Tuning of the reconciler.
 *
 * @param interval time between rounds
 * @param rescanInterval a pool's scan of a shard older than this is repeated
 * @param grace how long a pool without an up agent keeps counting its copies
 * @param taskLease how long an agent holds a task without reporting it
 * @param tasksPerAgent tasks leased to one agent at once
 * @param tasksPerPool tasks queued for one executing pool at once
 * @param misplacedShare the largest share of stored bytes that voluntary movement (transitions,
 *     drains, rebalancing) may have queued at once; repairs are not capped
 * @param shardMaxObjects a shard whose scan in any pool lists more objects is split
 * @param shardMaxBytes a shard whose scan in any pool lists more bytes is split
 * @param scrubInterval how often each pool re-reads its copies of each shard against their
 *     checksums (a {@code verify} task); a copy found wrong no longer counts and is repaired
 * @param rackBytesInFlight bytes of copies leased at once through one rack; 0 for no cap (see
 *     {@link RackBudget})
 * @param balanceTarget the live balancer evens each tier until its fullest pool holds at most this
 *     times its weighted share (see {@link Balancing})
 * @param balanceInterval how often the balancer runs at most
 * @param rackBytesPerSecond bytes per second of copies through one rack (see {@link
 *     MovementBudgets})
 * @param roomBytesPerSecond bytes per second of copies through one room
 * @param ingestTasksPerDataset ingest tasks (new objects copied from a landing pool) of one dataset
 *     queued for one executing pool at once: one hospital's migration leaves the rest of a pool's
 *     {@code tasksPerPool} to the others' new studies
 * @param scrubDeadline every copy is to be re-read against its checksums at least this often; a
 *     copy nearing it is scrubbed before voluntary movement (see {@link ScrubSchedule})
 * @param scrubBytesPerSecond bytes per second one pool may re-read for scrubs; 0 for no cap (see
 *     {@link MovementBudgets})
 */
public record ReconcileSettings(
    Duration interval,
    Duration rescanInterval,
    Duration grace,
    Duration taskLease,
    int tasksPerAgent,
    int tasksPerPool,
    double misplacedShare,
    long shardMaxObjects,
    long shardMaxBytes,
    Duration scrubInterval,
    long rackBytesInFlight,
    double balanceTarget,
    Duration balanceInterval,
    long rackBytesPerSecond,
    long roomBytesPerSecond,
    int ingestTasksPerDataset,
    Duration scrubDeadline,
    long scrubBytesPerSecond) {

  /** The scrub schedule's settings. */
  public ScrubSchedule.Settings scrubs() {
    return new ScrubSchedule.Settings(scrubInterval, scrubDeadline, scrubBytesPerSecond);
  }
}
