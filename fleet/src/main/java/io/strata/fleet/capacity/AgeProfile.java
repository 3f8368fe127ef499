package io.strata.fleet.capacity;

/**
 * Bytes by age, in days as a policy counts them (from the StudyDate or LastModified), in buckets
 * that keep a profile small whatever the ages: one bucket a day for the first {@value #DAILY} days,
 * then {@value #PER_DOUBLING} buckets for each doubling of the age (each an eighth of the
 * doubling's first age wide: 16 days from 128, 256 days from 2,048), and the last holds every age
 * from {@value #OPEN_FROM} days (about 90 years) on: {@value #BUCKETS} in all. Within a bucket,
 * bytes are taken as spread evenly over its days, which is exact for a steady intake.
 *
 * <p>A profile is a {@code long[]} of at most {@link #BUCKETS} counts, index = bucket, trailing
 * empty buckets left out, as a capacity sample writes it. Pure functions over it; nothing kept.
 */
public final class AgeProfile {
  private AgeProfile() {}

  /** Ages below this have a bucket each. */
  public static final int DAILY = 128;

  /** Buckets per doubling of the age from {@link #DAILY} on. */
  public static final int PER_DOUBLING = 8;

  /** The age from which the last bucket holds everything: 128 · 2⁸ days. */
  public static final int OPEN_FROM = DAILY << 8;

  /** How many buckets there are. */
  public static final int BUCKETS = DAILY + 8 * PER_DOUBLING + 1;

  /** The bucket of an age in days; a negative age (a date in the future) is age 0. */
  public static int bucket(long ageDays) {
    if (ageDays < DAILY) {
      return (int) Math.max(0, ageDays);
    }
    if (ageDays >= OPEN_FROM) {
      return BUCKETS - 1;
    }
    int doubling = 63 - Long.numberOfLeadingZeros(ageDays / DAILY); // 0 for 128..255
    long from = (long) DAILY << doubling;
    long width = from / PER_DOUBLING;
    return DAILY + doubling * PER_DOUBLING + (int) ((ageDays - from) / width);
  }

  /** The first age of bucket {@code b}. */
  public static int start(int b) {
    if (b < DAILY) {
      return b;
    }
    if (b == BUCKETS - 1) {
      return OPEN_FROM;
    }
    int doubling = (b - DAILY) / PER_DOUBLING;
    int from = DAILY << doubling;
    return from + (b - DAILY - doubling * PER_DOUBLING) * (from / PER_DOUBLING);
  }

  /** The age after bucket {@code b}'s last; the open last bucket is taken as one day wide. */
  public static int end(int b) {
    return b == BUCKETS - 1 ? OPEN_FROM + 1 : start(b + 1);
  }

  /** Adds {@code bytes} of data {@code ageDays} old to {@code into}, grown as needed. */
  public static long[] add(long[] into, long ageDays, long bytes) {
    int b = bucket(ageDays);
    long[] out = into.length > b ? into : java.util.Arrays.copyOf(into, b + 1);
    out[b] += bytes;
    return out;
  }

  /** The sum of two profiles. */
  public static long[] plus(long[] a, long[] b) {
    long[] out =
        java.util.Arrays.copyOf(a.length >= b.length ? a : b, Math.max(a.length, b.length));
    long[] other = a.length >= b.length ? b : a;
    for (int i = 0; i < other.length; i++) {
      out[i] += other[i];
    }
    return out;
  }

  /** The profile without its empty buckets past the last that holds bytes, as samples write it. */
  public static long[] trimmed(long[] profile) {
    int n = profile.length;
    while (n > 0 && profile[n - 1] == 0) {
      n--;
    }
    return n == profile.length ? profile : java.util.Arrays.copyOf(profile, n);
  }

  /** Every byte of the profile. */
  public static long total(long[] profile) {
    long sum = 0;
    for (long v : profile) {
      sum += v;
    }
    return sum;
  }

  /**
   * The profile {@code days} later: each bucket's bytes, spread evenly over its days, move on by
   * that many days into the buckets they then fall in (shares rounded so that no byte is lost).
   * Ages under {@link #DAILY} move exactly.
   */
  public static long[] aged(long[] profile, int days) {
    if (days <= 0) {
      return profile.clone();
    }
    long[] out = new long[BUCKETS];
    for (int b = 0; b < profile.length; b++) {
      long bytes = profile[b];
      if (bytes == 0) {
        continue;
      }
      long from = (long) start(b) + days;
      long width = end(b) - start(b);
      long to = from + width;
      long given = 0;
      for (long a = from; a < to; ) {
        int target = bucket(a);
        long next = target == BUCKETS - 1 ? to : Math.min(to, end(target));
        // The bytes of ages [from, next), rounded so that the shares add up to the bucket's.
        long upTo = (long) Math.floor((double) bytes * (next - from) / width);
        long share = next == to ? bytes - given : upTo - given;
        if (share != 0) {
          out[target] += share;
          given += share;
        }
        a = next;
      }
    }
    return trimmed(out);
  }

  /**
   * The profile with {@code bytes} in all: bytes written since it was taken are added at age 0;
   * fewer bytes (data deleted) scale every bucket down.
   */
  public static long[] reconciled(long[] profile, long bytes) {
    long total = total(profile);
    if (bytes >= total) {
      return add(profile.clone(), 0, bytes - total);
    }
    long[] out = new long[profile.length];
    long given = 0;
    double scale = total == 0 ? 0 : (double) bytes / total;
    for (int b = 0; b < profile.length; b++) {
      out[b] = (long) Math.floor(profile[b] * scale);
      given += out[b];
    }
    if (out.length > 0) {
      out[0] += bytes - given;
    }
    return out;
  }

  /**
   * The bytes a policy's phases keep on {@code tier} from this stock, {@code days} from when the
   * profile was taken: each bucket's bytes times the copies of the ages they have reached, averaged
   * over the bucket's days. Read each day of a horizon with {@link OnTier}, which is faster.
   */
  public static double onTier(long[] profile, PhaseFlow flow, String tier, int days) {
    return new OnTier(flow, tier, days).bytes(profile, days);
  }

  /**
   * The copies {@code flow} keeps on one tier, summed over ages: {@code cumulative[x]} = Σ copies
   * of ages below {@code x}, for every age a stock may reach within the days asked for.
   */
  public static final class OnTier {
    private final double[] cumulative;

    public OnTier(PhaseFlow flow, String tier, int days) {
      int last = OPEN_FROM + 1 + Math.max(0, days);
      cumulative = new double[last + 1];
      for (int a = 0; a < last; a++) {
        cumulative[a + 1] = cumulative[a] + flow.copies(tier, a);
      }
    }

    /** The tier's bytes of the stock {@code days} after it was profiled. */
    public double bytes(long[] profile, int days) {
      double sum = 0;
      for (int b = 0; b < profile.length; b++) {
        if (profile[b] != 0) {
          int s = start(b) + days;
          int e = end(b) + days;
          sum += profile[b] * (cumulative[e] - cumulative[s]) / (e - s);
        }
      }
      return sum;
    }
  }
}
