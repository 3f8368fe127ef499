package io.strata.fleet.reconcile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * When each pool's copies of each shard were last re-read against their checksums (a scrub that
 * came back), kept across leader changes in {@link #BUCKETS} records: a shard's pools share the
 * bucket its id hashes to, so that a scrub result changes one record, and a new leader reads a
 * thousand records rather than a record per shard and pool.
 *
 * <p>A record is gzip'd text, a line per shard and pool: the shard id, the pool id and the second
 * of the verification in base 36, about 35 bytes per shard and pool before compression and some 15
 * after (the ids of one dataset share their start). At a million shards on three pools each, that
 * is about 45 MB in all, some 45 KB a record. Records are written once per round, those changed
 * only; a crash loses at most one round of verification times, whose copies are then scrubbed again
 * sooner than needed, never later. Thread-safe.
 */
public final class VerificationTimes {
  /** How many records the times are kept in. */
  public static final int BUCKETS = 1024;

  private static final String HEADER = "strata-verification-times 1";

  /** Where the records are kept. Writes come from the leader only. */
  public interface Store {
    /**
     * Every record that can be read, by bucket, every version of each (a record written to another
     * place while the first was down may be found twice); records never written are absent.
     */
    Map<Integer, List<byte[]>> read() throws Exception;

    void write(int bucket, byte[] record) throws Exception;

    /** Keeps nothing: a new leader knows no verification. */
    Store NONE =
        new Store() {
          @Override
          public Map<Integer, List<byte[]>> read() {
            return Map.of();
          }

          @Override
          public void write(int bucket, byte[] record) {}
        };
  }

  private final Store store;

  /** Per bucket, per shard, per pool: the epoch second of its last verification. */
  private final Map<Integer, Map<String, Map<String, Long>>> buckets = new ConcurrentHashMap<>();

  private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();

  public VerificationTimes(Store store) {
    this.store = store;
  }

  /** The record that {@code shardId}'s times are kept in. */
  public static int bucketOf(String shardId) {
    return Math.floorMod(shardId.hashCode(), BUCKETS);
  }

  /**
   * Replaces what is known with what the store holds; where it holds two versions of a record, the
   * later time of each copy wins. A record that cannot be read counts as empty: its copies are
   * scrubbed again on schedule.
   *
   * @return the shard and pool pairs known
   */
  public synchronized long load() throws Exception {
    buckets.clear();
    dirty.clear();
    long known = 0;
    for (var record : store.read().entrySet()) {
      Map<String, Map<String, Long>> merged = new ConcurrentHashMap<>();
      for (byte[] version : record.getValue()) {
        decode(version)
            .forEach(
                (shard, pools) ->
                    pools.forEach(
                        (pool, at) ->
                            merged
                                .computeIfAbsent(shard, k -> new ConcurrentHashMap<>())
                                .merge(pool, at, Math::max)));
      }
      if (!merged.isEmpty()) {
        buckets.put(record.getKey(), merged);
        known += merged.values().stream().mapToLong(Map::size).sum();
      }
    }
    return known;
  }

  /** When the shard's copies on the pool were last verified; null when that is not known. */
  public Instant at(String shardId, String pool) {
    Map<String, Long> pools = buckets.getOrDefault(bucketOf(shardId), Map.of()).get(shardId);
    Long at = pools == null ? null : pools.get(pool);
    return at == null ? null : Instant.ofEpochSecond(at);
  }

  /** Records a verification at {@code at}; kept at the next {@link #flush}. */
  public void verified(String shardId, String pool, Instant at) {
    int b = bucketOf(shardId);
    buckets
        .computeIfAbsent(b, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(shardId, k -> new ConcurrentHashMap<>())
        .merge(pool, at.getEpochSecond(), Math::max);
    dirty.add(b);
  }

  /** Forgets a shard that was split: its halves are verified afresh. */
  public void forgetShard(String shardId) {
    int b = bucketOf(shardId);
    Map<String, Map<String, Long>> bucket = buckets.get(b);
    if (bucket != null && bucket.remove(shardId) != null) {
      dirty.add(b);
    }
  }

  /**
   * Writes the records changed since the last flush. One that cannot be written stays to write at
   * the next flush.
   *
   * @return the records that could not be written
   */
  public int flush() {
    int failed = 0;
    for (Integer b : new HashSet<>(dirty)) {
      dirty.remove(b);
      try {
        store.write(b, encode(buckets.getOrDefault(b, Map.of())));
      } catch (Exception e) {
        dirty.add(b);
        failed++;
      }
    }
    return failed;
  }

  /** A record: the header, then a line per shard and pool, in order. */
  static byte[] encode(Map<String, Map<String, Long>> bucket) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    new TreeMap<>(bucket)
        .forEach(
            (shard, pools) ->
                new TreeMap<>(pools)
                    .forEach(
                        (pool, at) ->
                            text.append(shard)
                                .append('\t')
                                .append(pool)
                                .append('\t')
                                .append(Long.toString(at, 36))
                                .append('\n')));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // Into memory: does not happen.
    }
    return out.toByteArray();
  }

  /** What a record holds; empty for one that does not read as one. */
  static Map<String, Map<String, Long>> decode(byte[] record) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    String text;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(record))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return out;
    }
    String[] lines = text.split("\n");
    if (lines.length == 0 || !lines[0].equals(HEADER)) {
      return out;
    }
    for (int i = 1; i < lines.length; i++) {
      String[] fields = lines[i].split("\t");
      if (fields.length != 3) {
        continue;
      }
      try {
        out.computeIfAbsent(fields[0], k -> new TreeMap<>())
            .put(fields[1], Long.parseLong(fields[2], 36));
      } catch (NumberFormatException skipped) {
        // A line that does not read: its copy is scrubbed again on schedule.
      }
    }
    return out;
  }
}
