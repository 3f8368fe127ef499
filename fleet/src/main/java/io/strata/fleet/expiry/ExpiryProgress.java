package io.strata.fleet.expiry;

/**
 * The objects an expiry covers that are still on the pools, as the leader's last plan of each shard
 * shows them. Immutable; {@link #plus} adds shards up.
 *
 * @param objects objects covered and still present
 * @param bytes their bytes (one copy each)
 * @param copies their copies: what is left to delete
 * @param held of the objects, those a legal hold keeps
 * @param waiting of the objects, those whose copies cannot all be accounted for yet (a pool in its
 *     grace period, a scan from an older map), so that none is deleted
 */
public record ExpiryProgress(long objects, long bytes, long copies, long held, long waiting) {
  public static final ExpiryProgress NONE = new ExpiryProgress(0, 0, 0, 0, 0);

  /** An object being destroyed: {@code copies} of {@code bytes} each to delete. */
  public static ExpiryProgress deleting(long bytes, int copies) {
    return new ExpiryProgress(1, bytes, copies, 0, 0);
  }

  /** An object that a legal hold keeps. */
  public static ExpiryProgress held(long bytes) {
    return new ExpiryProgress(1, bytes, 0, 1, 0);
  }

  /** An object whose copies are not all accounted for. */
  public static ExpiryProgress waiting(long bytes) {
    return new ExpiryProgress(1, bytes, 0, 0, 1);
  }

  public ExpiryProgress plus(ExpiryProgress other) {
    return new ExpiryProgress(
        objects + other.objects,
        bytes + other.bytes,
        copies + other.copies,
        held + other.held,
        waiting + other.waiting);
  }
}
