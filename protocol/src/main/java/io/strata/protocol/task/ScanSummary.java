package io.strata.protocol.task;

import java.time.Instant;
import java.util.List;

/**
 * A shard summarized in one pool. Two pools holding the same objects (same keys, sizes and
 * checksums, see {@link ListedObject#checksum()}) produce the same digest whatever order they list
 * in.
 *
 * @param objects number of objects
 * @param bytes total size in bytes
 * @param oldest earliest LastModified, null for an empty shard
 * @param newest latest LastModified, null for an empty shard
 * @param digest hex sum modulo 2^256 of SHA-256(key, size, checksum) over all objects
 * @param listing every object, when the task asked for it; else empty
 */
public record ScanSummary(
    long objects,
    long bytes,
    Instant oldest,
    Instant newest,
    String digest,
    List<ListedObject> listing) {
  public ScanSummary {
    listing = listing == null ? List.of() : List.copyOf(listing);
  }
}
