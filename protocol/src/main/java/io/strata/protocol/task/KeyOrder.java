package io.strata.protocol.task;

import java.util.Comparator;

/**
 * The order S3 lists keys in: by UTF-8 bytes, which equals the order of Unicode code points. {@link
 * String#compareTo} orders by UTF-16 units and disagrees for supplementary characters, so every
 * comparison of keys in Strata goes through this class.
 */
public final class KeyOrder {

  /** Compares keys as S3 orders them in listings. */
  public static final Comparator<String> COMPARATOR = KeyOrder::compare;

  private static final int MAX_CODE_POINT_PADDING = 8;

  private KeyOrder() {}

  /** Compares two keys by code point, like S3 does by UTF-8 byte. */
  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * A {@code start-after} value that makes a listing begin at {@code start} inclusive, or {@code
   * null} when the listing must start at the beginning of the bucket.
   *
   * <p>S3 only offers an exclusive lower bound. The returned key is the predecessor of {@code
   * start} padded with the largest code point, so no realistic key lies strictly between it and
   * {@code start}; callers still drop keys below {@code start}, which keeps the result exact.
   */
  public static String startAfterFor(String start) {
    if (start.isEmpty()) {
      return null;
    }
    int last = start.offsetByCodePoints(start.length(), -1);
    String prefix = start.substring(0, last);
    int cp = start.codePointAt(last);
    if (cp <= 1) {
      return prefix.isEmpty() ? null : prefix;
    }
    int pred = cp - 1;
    if (pred >= Character.MIN_SURROGATE && pred <= Character.MAX_SURROGATE) {
      pred = Character.MIN_SURROGATE - 1;
    }
    StringBuilder sb = new StringBuilder(prefix).appendCodePoint(pred);
    for (int k = 0; k < MAX_CODE_POINT_PADDING; k++) {
      sb.appendCodePoint(Character.MAX_CODE_POINT);
    }
    return sb.toString();
  }

  /**
   * The longest prefix of both keys that does not end inside a surrogate pair. Every key between
   * them (inclusive) starts with it, in code point order as in UTF-16 order, so a listing of the
   * keys between them may ask for this prefix, which lets a server skip the rest of the bucket.
   */
  public static String commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
      i--;
    }
    return a.substring(0, i);
  }
}
