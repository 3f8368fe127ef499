package io.strata.controller.s3;

import io.strata.fleet.reconcile.VerificationTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of {@link VerificationTimes} in the system dataset, one object per record under
 * {@link #PREFIX} ({@code scrubs/verified/03ff.gz}). Only the leader writes. A record written to
 * another pool while the first was down is found on both; every version is read, and the later time
 * of each copy wins.
 */
public final class VerificationTimesStore implements VerificationTimes.Store {
  /** Where the records are kept in the system dataset. */
  public static final String PREFIX = "scrubs/verified/";

  private final SystemDataset dataset;

  public VerificationTimesStore(SystemDataset dataset) {
    this.dataset = dataset;
  }

  static String key(int bucket) {
    return PREFIX + String.format(Locale.ROOT, "%04x", bucket) + ".gz";
  }

  /**
   * Lists the records, then reads each on every pool that has it: a list request per pool, and a
   * read per record and pool, for a new leader once.
   */
  @Override
  public Map<Integer, List<byte[]>> read() {
    Map<Integer, List<byte[]>> out = new TreeMap<>();
    for (SystemDataset.Listed listed : dataset.list(PREFIX)) {
      Integer bucket = bucketOf(listed.key());
      if (bucket != null) {
        dataset.readEach(
            listed.key(),
            (key, in) ->
                out.computeIfAbsent(bucket, b -> new ArrayList<>()).add(in.readAllBytes()));
      }
    }
    return out;
  }

  /** The bucket a key names; null for a key that names none. */
  static Integer bucketOf(String key) {
    String name = key.substring(PREFIX.length());
    if (!name.matches("[0-9a-f]{4}\\.gz")) {
      return null;
    }
    int bucket = Integer.parseInt(name.substring(0, 4), 16);
    return bucket < VerificationTimes.BUCKETS ? bucket : null;
  }

  @Override
  public void write(int bucket, byte[] record) throws Exception {
    dataset.put(key(bucket), record);
  }
}
