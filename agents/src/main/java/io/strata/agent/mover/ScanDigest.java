package io.strata.agent.mover;

import io.strata.protocol.task.ListedObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * Accumulates a shard summary. The digest is the sum modulo 2^256 of SHA-256(key, size, checksum)
 * per object, so it depends on the set of objects and not on listing order. Pure; not thread-safe.
 */
public final class ScanDigest {

  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

  private final MessageDigest sha = HashingInputStream.sha256Digest();
  private BigInteger sum = BigInteger.ZERO;
  private long objects;
  private long bytes;
  private Instant oldest;
  private Instant newest;

  /** Adds one object. */
  public void add(ListedObject object) {
    sha.reset();
    sha.update(object.key().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(Long.toString(object.size()).getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    sha.update(object.checksum().getBytes(StandardCharsets.UTF_8));
    sum = sum.add(new BigInteger(1, sha.digest())).mod(MODULUS);
    objects++;
    bytes += object.size();
    Instant modified = object.lastModified();
    if (modified != null) {
      oldest = oldest == null || modified.isBefore(oldest) ? modified : oldest;
      newest = newest == null || modified.isAfter(newest) ? modified : newest;
    }
  }

  public long objects() {
    return objects;
  }

  public long bytes() {
    return bytes;
  }

  public Instant oldest() {
    return oldest;
  }

  public Instant newest() {
    return newest;
  }

  /** The digest as 64 lowercase hex digits. */
  public String digest() {
    return String.format("%064x", sum);
  }
}
