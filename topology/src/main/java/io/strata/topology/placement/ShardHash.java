package io.strata.topology.placement;

/**
 * The fixed 64-bit hashes placement draws from. Defined over the UTF-16 code units of a shard id
 * with xxHash64's round and the MurmurHash3 finalizer, so every JVM, run and process computes the
 * same bits; never {@link String#hashCode}, whose 32 bits are too few and too regular.
 */
public final class ShardHash {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long SEED = 0x5354524154410001L;

  private ShardHash() {}

  /** The hash of a shard id. */
  public static long of(CharSequence id) {
    int n = id.length();
    long h = SEED ^ (n * P1);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      long k =
          id.charAt(i)
              | (long) id.charAt(i + 1) << 16
              | (long) id.charAt(i + 2) << 32
              | (long) id.charAt(i + 3) << 48;
      h ^= round(k);
      h = Long.rotateLeft(h, 27) * P1 + P4;
    }
    long k = 0;
    for (int shift = 0; i < n; i++, shift += 16) {
      k |= (long) id.charAt(i) << shift;
    }
    h ^= round(k);
    return mix(h);
  }

  /** The hash of a shard's draw at one node of the placement tree. */
  static long at(long shardHash, long node) {
    return mix(shardHash ^ (node * P1));
  }

  /** A uniform double in (0, 1] from the top 53 bits. */
  static double unit(long bits) {
    return ((bits >>> 11) + 1) * 0x1.0p-53;
  }

  private static long round(long k) {
    return Long.rotateLeft(k * P2, 31) * P1;
  }

  /** The MurmurHash3 64-bit finalizer: a bijection that flips each output bit with p ~ 1/2. */
  public static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xFF51AFD7ED558CCDL;
    x ^= x >>> 33;
    x *= 0xC4CEB9FE1A85EC53L;
    x ^= x >>> 33;
    return x;
  }
}
