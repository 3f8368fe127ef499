package io.strata.fleet.reconcile;

import io.strata.protocol.task.KeyRange;

/**
 * A key range of a dataset: the unit of scanning, planning and accounting.
 *
 * @param id stable id, never reused for another range
 * @param dataset the dataset (bucket) it belongs to
 * @param range its keys, {@code [start, end)}
 * @param placementKey what placement hashes; a shard split from another keeps its parent's, so a
 *     split moves no data (like Ceph's pg_num apart from pgp_num). Null means the id.
 */
public record Shard(String id, String dataset, KeyRange range, String placementKey) {
  public Shard {
    placementKey = placementKey == null ? id : placementKey;
  }

  /** A shard placed by its own id. */
  public Shard(String id, String dataset, KeyRange range) {
    this(id, dataset, range, null);
  }
}
