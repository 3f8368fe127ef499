package io.strata.controller.s3;

import io.strata.fleet.reconcile.VerificationTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

  @Override
  public List<byte[]> read(int bucket) {
    List<byte[]> out = new ArrayList<>();
    dataset.readEach(key(bucket), (key, in) -> out.add(in.readAllBytes()));
    return out;
  }

  @Override
  public void write(int bucket, byte[] record) throws Exception {
    dataset.put(key(bucket), record);
  }
}
