package io.strata.agent.mover;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * An agent's record of one copy it is about to delete, written before the DELETE is sent (logger
 * {@link #LOGGER}, at DEBUG: off by default, since keys can name patients). Whoever checks
 * afterwards that no copy was deleted while fewer than the required copies existed elsewhere reads
 * these: the chaos soak routes them to a file per agent.
 *
 * <p>One line, tab-separated: {@code delete}, {@code at}, pool, bucket, key, size, SHA-256 marker
 * (or {@code -}), LastModified (or {@code -}), the re-verified pools, comma-separated. Keys hold no
 * tab or newline (S3 keys may; Strata's datasets do not).
 *
 * @param at when the DELETE was about to be sent; the copy is gone at some time after it, or never
 * @param pool the pool the copy is deleted from
 * @param bucket the dataset
 * @param key the object's key
 * @param size the copy's size
 * @param sha256 the copy's SHA-256 marker; null when it carries none
 * @param lastModified the copy's LastModified as the pool answered; null when it gave none
 * @param verifiedPools the pools whose copies were re-verified just before, on the strength of
 *     which this one is deleted
 */
public record DeletionRecord(
    Instant at,
    String pool,
    String bucket,
    String key,
    long size,
    String sha256,
    Instant lastModified,
    List<String> verifiedPools) {

  /** The logger the records go to, one line each at DEBUG. */
  public static final String LOGGER = "io.strata.agent.deletions";

  private static final String TAG = "delete";

  public DeletionRecord {
    verifiedPools = List.copyOf(verifiedPools);
  }

  /** The record as one line, without its line end. */
  public String line() {
    return String.join(
        "\t",
        TAG,
        at.toString(),
        pool,
        bucket,
        key,
        Long.toString(size),
        sha256 == null ? "-" : sha256,
        lastModified == null ? "-" : lastModified.toString(),
        String.join(",", verifiedPools));
  }

  /**
   * Reads a line written by {@link #line()}.
   *
   * @throws IllegalArgumentException naming what is wrong when the line is not a deletion record
   */
  public static DeletionRecord parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 9 || !f[0].equals(TAG)) {
      throw new IllegalArgumentException(
          "not a deletion record (expected 9 tab-separated fields starting with '"
              + TAG
              + "'): "
              + line);
    }
    try {
      return new DeletionRecord(
          Instant.parse(f[1]),
          f[2],
          f[3],
          f[4],
          Long.parseLong(f[5]),
          f[6].equals("-") ? null : f[6],
          f[7].equals("-") ? null : Instant.parse(f[7]),
          f[8].isEmpty() ? List.of() : Arrays.asList(f[8].split(",")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unreadable deletion record: " + line, e);
    }
  }
}
