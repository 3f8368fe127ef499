package io.strata.agent.mover;

import io.strata.protocol.task.FailureKind;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Computes the SHA-256 of what passes through, and optionally checks it: when an expected size and
 * hash are given, the read that would hand out the last byte of wrong content throws a {@link
 * ContentMismatchException} instead, so an upload fed from this stream fails before it completes.
 * Not thread-safe.
 */
final class HashingInputStream extends FilterInputStream {

  private final MessageDigest digest;
  private final long expectedSize;
  private final String expectedSha256;
  private final FailureKind mismatchKind;
  private long count;
  private String sha256;

  /** A stream that only computes the hash. */
  static HashingInputStream hashing(InputStream in) {
    return new HashingInputStream(in, -1, null, FailureKind.PERMANENT);
  }

  /** A stream that fails before its end unless it carries {@code size} bytes hashing to sha. */
  static HashingInputStream verifying(
      InputStream in, long size, String sha256, FailureKind mismatchKind) {
    return new HashingInputStream(in, size, sha256, mismatchKind);
  }

  private HashingInputStream(
      InputStream in, long expectedSize, String expectedSha256, FailureKind mismatchKind) {
    super(in);
    this.expectedSize = expectedSize;
    this.expectedSha256 = expectedSha256;
    this.mismatchKind = mismatchKind;
    this.digest = sha256Digest();
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      if (expectedSize >= 0 && count != expectedSize) {
        throw new ContentMismatchException(
            "content ended after " + count + " of " + expectedSize + " bytes", mismatchKind);
      }
      // An empty object reaches its end without a read that returned bytes: check it here too.
      checkHash();
      return n;
    }
    digest.update(b, off, n);
    count += n;
    if (expectedSize >= 0) {
      if (count > expectedSize) {
        throw new ContentMismatchException(
            "content is longer than the expected " + expectedSize + " bytes", mismatchKind);
      }
      if (count == expectedSize) {
        checkHash();
      }
    }
    return n;
  }

  private void checkHash() throws ContentMismatchException {
    finish();
    if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha256)) {
      throw new ContentMismatchException(
          "content has SHA-256 " + sha256 + ", expected " + expectedSha256, mismatchKind);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skipping would leave bytes out of the hash");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void finish() {
    if (sha256 == null) {
      sha256 = HexFormat.of().formatHex(digest.digest());
    }
  }

  /** Bytes read so far. */
  long count() {
    return count;
  }

  /** The hex SHA-256 of everything read; only once the end was reached. */
  String sha256() {
    if (sha256 == null) {
      throw new IllegalStateException("the stream was not read to its end");
    }
    return sha256;
  }

  /** Reads the stream to its end and returns the hex SHA-256. */
  String drain() throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (read(buf, 0, buf.length) >= 0) {
      // reading is the point
    }
    return sha256();
  }
}
