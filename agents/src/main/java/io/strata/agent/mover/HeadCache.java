package io.strata.agent.mover;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.strata.protocol.task.ListedObject;
import java.time.Instant;
import java.util.Map;

/**
 * What HEADs of listed objects found (their user metadata and SHA-256 marker), for scans on pools
 * whose listings carry no metadata (S3Proxy, AWS; MinIO's do). An entry is keyed by the object's
 * version as its listing shows it: key, size, ETag and last-modified time. An object's metadata
 * cannot change without a new write, which changes its last-modified time, so an entry never goes
 * stale; a rewritten object is simply a new key. Scanning a shard again (after a split, a new map
 * epoch, a copy into it) then HEADs only what changed since. Bounded by {@link #ENTRIES}, least
 * recently used out first: about 20 MB at 400 bytes an entry. Thread-safe.
 */
final class HeadCache {

  /** Entries kept at most. */
  static final int ENTRIES = 50_000;

  private record Version(
      String pool, String bucket, String key, long size, String etag, Instant lastModified) {}

  private record Head(Map<String, String> metadata, String sha256) {}

  private final Cache<Version, Head> heads = CacheBuilder.newBuilder().maximumSize(ENTRIES).build();

  /** {@code object} with the metadata a HEAD of this version found, or null when none is kept. */
  ListedObject withMetadata(String pool, String bucket, ListedObject object) {
    Head head = heads.getIfPresent(version(pool, bucket, object));
    return head == null
        ? null
        : new ListedObject(
            object.key(),
            object.size(),
            object.lastModified(),
            object.etag(),
            head.sha256(),
            head.metadata());
  }

  /** Keeps what a HEAD of the listed version {@code object} found. */
  void put(String pool, String bucket, ListedObject object) {
    if (object.etag() == null || object.lastModified() == null) {
      return; // Without them a version cannot be told from the next one.
    }
    heads.put(version(pool, bucket, object), new Head(object.metadata(), object.sha256()));
  }

  private static Version version(String pool, String bucket, ListedObject o) {
    return new Version(pool, bucket, o.key(), o.size(), o.etag(), o.lastModified());
  }
}
