package io.strata.protocol.task;

/**
 * What a task did with one key. A task's result counts the keys of every status, and names keys one
 * by one only for the statuses that are {@link #named()}.
 */
public enum KeyStatus {
  /** Copied and read back with the right size and SHA-256. */
  COPIED,
  /** Already present on the target with the same size and checksum; nothing written. */
  ALREADY_PRESENT,
  /** The source object disappeared between listing and copy; nothing to copy. */
  SOURCE_GONE,
  /** Content matches the stored SHA-256. */
  VERIFIED,
  /** Content does not match the stored SHA-256, or the size is wrong. */
  MISMATCH,
  /** No Strata SHA-256 is stored, so the content cannot be checked. */
  NO_CHECKSUM,
  /** The object is not in the pool. */
  MISSING,
  /** Deleted after every required copy was re-checked. */
  DELETED,
  /** Already absent from the pool; nothing to delete. */
  ALREADY_ABSENT,
  /** Not deleted: retention, legal hold, or missing verified copies. */
  REFUSED,
  /** The work on this key failed; see the outcome's failure. */
  FAILED,
  /**
   * Copied and read back with the right size and SHA-256, but the target does not report the
   * server-side encryption the task asked: the copy is kept (it still holds the data), and does not
   * count as copied.
   */
  UNENCRYPTED;

  /**
   * Whether a task's result names the keys with this status one by one: those that did not end as
   * the task intended, which an operator or a later task may have to look at. The others (copied,
   * present, verified, deleted, absent) are only counted, so that a result stays small for a shard
   * of a million keys.
   */
  public boolean named() {
    return switch (this) {
      case COPIED, ALREADY_PRESENT, VERIFIED, DELETED, ALREADY_ABSENT -> false;
      case SOURCE_GONE, MISMATCH, NO_CHECKSUM, MISSING, REFUSED, FAILED, UNENCRYPTED -> true;
    };
  }
}
