package io.strata.controller.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The audit trail's objects in the system dataset (bucket {@code strata-system} by default) on S3
 * pools, through the MinIO SDK. Records go to the first pool that takes them, in cluster-map order;
 * reads merge every reachable pool, so a chain that moved to another pool while the first was down
 * reads whole. Thread-safe.
 */
public final class AuditStore {
  /** A pool to write to or read from. */
  public record Target(String poolId, MinioClient client) {}

  private static final String HEADS = "audit-heads/";

  private final Supplier<List<Target>> targets;
  private final String bucket;
  private final ObjectMapper json;
  private final Set<String> bucketsMade = ConcurrentHashMap.newKeySet();

  public AuditStore(Supplier<List<Target>> targets, String bucket, ObjectMapper json) {
    this.targets = targets;
    this.bucket = bucket;
    this.json = json;
  }

  /**
   * Writes one object to the first pool that takes it.
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

  /** Records the head of a chain, so that a replica that lost its spool resumes it. */
  public void putHead(String replica, AuditChain.Head head) throws IOException {
    put(HEADS + AuditChain.safe(replica) + ".json", json.writeValueAsBytes(head));
  }

  /** The furthest head of {@code replica}'s chain on any reachable pool. */
  public Optional<AuditChain.Head> head(String replica) {
    AuditChain.Head best = null;
    for (Target t : targets.get()) {
      try (InputStream in =
          t.client()
              .getObject(
                  GetObjectArgs.builder()
                      .bucket(bucket)
                      .object(HEADS + AuditChain.safe(replica) + ".json")
                      .build())) {
        AuditChain.Head h = json.readValue(in, AuditChain.Head.class);
        if (best == null || h.seq() > best.seq()) {
          best = h;
        }
      } catch (Exception e) {
        // Unreachable, or no head there: another pool may have it.
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Every record kept on days {@code from}..{@code to} (UTC), by key, from every reachable pool.
   */
  public Map<String, AuditRecord> list(Instant from, Instant to) {
    Map<String, AuditRecord> out = new TreeMap<>();
    LocalDate last = to.atZone(ZoneOffset.UTC).toLocalDate();
    for (LocalDate d = from.atZone(ZoneOffset.UTC).toLocalDate();
        !d.isAfter(last);
        d = d.plusDays(1)) {
      String prefix =
          "%s%04d/%02d/%02d/"
              .formatted(AuditChain.PREFIX, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
      try {
        readAll(prefix, out, false);
      } catch (IOException e) {
        throw new IllegalStateException("lenient reads do not throw", e);
      }
    }
    return out;
  }

  /**
   * Every record of every chain, by key, for verification.
   *
   * @throws IOException when a pool or an object cannot be read: a verifier must not skip records
   */
  public Map<String, AuditRecord> listAll() throws IOException {
    Map<String, AuditRecord> out = new TreeMap<>();
    readAll(AuditChain.PREFIX, out, true);
    return out;
  }

  private void readAll(String prefix, Map<String, AuditRecord> out, boolean strict)
      throws IOException {
    for (Target t : targets.get()) {
      String key = prefix;
      try {
        if (!t.client().bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
          continue;
        }
        for (Result<Item> result :
            t.client()
                .listObjects(
                    ListObjectsArgs.builder()
                        .bucket(bucket)
                        .prefix(prefix)
                        .recursive(true)
                        .build())) {
          key = result.get().objectName();
          if (!key.endsWith(".json") || out.containsKey(key)) {
            continue;
          }
          try (InputStream in =
              t.client().getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            out.put(key, json.readValue(in, AuditRecord.class));
          }
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
}
