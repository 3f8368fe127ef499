package io.strata.topology;

import java.util.Objects;

/**
 * An exception to computed placement, like a Ceph upmap item: the copy of {@code shard} that
 * placement puts on pool {@code from} goes to pool {@code to} instead. The balancer writes these to
 * even out pool fill; placement applies one only while it still holds (the target is up, of the
 * same tier, and keeps the rule's spread), so a stale exception is ignored, never harmful.
 *
 * @param shard the shard id
 * @param from the pool placement computes
 * @param to the pool that takes the copy instead
 */
public record CopyRemap(String shard, String from, String to) {
  public CopyRemap {
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }
}
