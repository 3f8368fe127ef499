package io.strata.controller.s3;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The system dataset (bucket {@code strata-system} by default) on S3 pools, where the controller
 * keeps its durable records: the audit trail and the capacity history. Writes go to the first pool
 * that takes them, in the order the targets come; reads merge every reachable pool, so records
 * written while the first pool was down read whole. Thread-safe.
 */
public final class SystemDataset {
  /** A pool to write to or read from. */
  public record Target(String poolId, MinioClient client) {}

  /** Reads one object; {@code in} is closed by the caller. */
  @FunctionalInterface
  public interface Reader {
    void read(String key, InputStream in) throws IOException;
  }

  private final Supplier<List<Target>> targets;
  private final String bucket;
  private final Set<String> bucketsMade = ConcurrentHashMap.newKeySet();

  public SystemDataset(Supplier<List<Target>> targets, String bucket) {
    this.targets = targets;
    this.bucket = bucket;
  }

  public String bucket() {
    return bucket;
  }

  /**
   * Writes one object to the first pool that takes it, creating the bucket there when missing.
   *
   * @return the pool's id
   * @throws IOException when no pool took it, with each pool's reason
   */
  public String put(String key, byte[] data) throws IOException {
    StringBuilder reasons = new StringBuilder();
    for (Target t : targets.get()) {
      try {
        if (!bucketsMade.contains(t.poolId())) {
          if (!t.client().bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            t.client().makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
          }
          bucketsMade.add(t.poolId());
        }
        t.client()
            .putObject(
                PutObjectArgs.builder().bucket(bucket).object(key).stream(
                        new ByteArrayInputStream(data), data.length, -1)
                    .contentType("application/json")
                    .build());
        return t.poolId();
      } catch (Exception e) {
        bucketsMade.remove(t.poolId());
        reasons.append(' ').append(t.poolId()).append(": ").append(e.getClass().getSimpleName());
      }
    }
    throw new IOException("no pool took " + key + ";" + reasons);
  }

  /** Reads {@code key} on every reachable pool that has it, in target order. */
  public void readEach(String key, Reader reader) {
    for (Target t : targets.get()) {
      try (InputStream in =
          t.client().getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
        reader.read(key, in);
      } catch (Exception e) {
        // Unreachable, no object there, or one that does not read: another pool may have it.
      }
    }
  }

  /**
   * Reads every object under {@code prefix} on every reachable pool, once per key: a key read on
   * one pool, or one {@code wanted} refuses, is not read again.
   *
   * @param strict true to stop at the first pool or object that cannot be read (a verifier must not
   *     skip records); false to go on with the other pools and keys
   * @throws IOException only when {@code strict}, naming the key and pool
   */
  public void readAll(String prefix, Predicate<String> wanted, Reader reader, boolean strict)
      throws IOException {
    Set<String> read = new java.util.HashSet<>();
    for (Target t : targets.get()) {
      String key = prefix;
      try {
        for (Result<Item> result : listed(t, prefix)) {
          key = result.get().objectName();
          if (read.contains(key) || !wanted.test(key)) {
            continue;
          }
          try (InputStream in =
              t.client().getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            reader.read(key, in);
          }
          read.add(key);
        }
      } catch (Exception e) {
        if (strict) {
          throw new IOException(
              "cannot read " + key + " on pool " + t.poolId() + ": " + e.getMessage(), e);
        }
        // An unreachable pool or a missing bucket: the others may hold the records.
      }
    }
  }

  /**
   * Deletes, on every reachable pool, the objects under {@code prefix} whose keys sort before
   * {@code bound}.
   *
   * @return how many were deleted
   * @throws IOException naming the pool and key when one could not be listed or deleted; the
   *     objects of the pools before it are deleted, those after it are left for the next time
   */
  public int deleteBefore(String prefix, String bound) throws IOException {
    int deleted = 0;
    for (Target t : targets.get()) {
      String key = prefix;
      try {
        List<String> old = new java.util.ArrayList<>();
        for (Result<Item> result : listed(t, prefix)) {
          key = result.get().objectName();
          // S3Proxy's filesystem backend lists its directories, as keys ending in '/'.
          if (key.compareTo(bound) < 0 && !key.endsWith("/")) {
            old.add(key);
          }
        }
        for (String k : old) {
          key = k;
          t.client().removeObject(RemoveObjectArgs.builder().bucket(bucket).object(k).build());
          deleted++;
        }
      } catch (Exception e) {
        throw new IOException(
            "cannot delete " + key + " on pool " + t.poolId() + ": " + e.getMessage(), e);
      }
    }
    return deleted;
  }

  /**
   * An object of the dataset, as a listing gives it.
   *
   * @param key its key
   * @param bytes its size
   * @param lastModified when it was written
   */
  public record Listed(String key, long bytes, java.time.Instant lastModified) {}

  /**
   * The objects under {@code prefix} on every reachable pool, each key once (from the first pool
   * that lists it), in key order. S3Proxy's directory placeholders (keys ending in '/') are left
   * out.
   */
  public List<Listed> list(String prefix) {
    java.util.Map<String, Listed> out = new java.util.TreeMap<>();
    for (Target t : targets.get()) {
      try {
        for (Result<Item> result : listed(t, prefix)) {
          Item item = result.get();
          if (!item.objectName().endsWith("/")) {
            out.putIfAbsent(
                item.objectName(),
                new Listed(
                    item.objectName(),
                    item.size(),
                    item.lastModified() == null ? null : item.lastModified().toInstant()));
          }
        }
      } catch (Exception e) {
        // An unreachable pool: the others may list the objects.
      }
    }
    return List.copyOf(out.values());
  }

  /** Every object under {@code prefix} on {@code t}; none when the bucket is not there. */
  private Iterable<Result<Item>> listed(Target t, String prefix) throws Exception {
    if (!t.client().bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      return List.of();
    }
    return t.client()
        .listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build());
  }
}
