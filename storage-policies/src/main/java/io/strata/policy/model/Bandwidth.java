package io.strata.policy.model;

import io.strata.topology.ByteSize;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data rate such as {@code 500MB/s} or {@code 1GiB/s}: a size as {@link ByteSize} reads it, per
 * second.
 *
 * @param bytesPerSecond at least 1
 */
public record Bandwidth(long bytesPerSecond) {
  /** The forms {@link #parse} accepts, for error messages. */
  public static final String ALLOWED = "a size per second, e.g. 500MB/s, 1GiB/s or 200MiB/s";

  private static final Pattern TEXT = Pattern.compile("\\s*(.+?)\\s*/\\s*s\\s*");

  public Bandwidth {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("a bandwidth must be at least 1 B/s");
    }
  }

  /**
   * Parses {@code 500MB/s}.
   *
   * @throws IllegalArgumentException saying what was found and what is allowed
   */
  public static Bandwidth parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text);
    long bytes = -1;
    if (m.matches()) {
      try {
        bytes = ByteSize.parse(m.group(1));
      } catch (IllegalArgumentException e) {
        bytes = -1;
      }
    }
    if (bytes < 1) {
      throw new IllegalArgumentException("'" + text + "' is not a bandwidth; write " + ALLOWED);
    }
    return new Bandwidth(bytes);
  }

  /** Decimal units when the rate is a whole number of them ({@code 500 MB/s}), else binary. */
  @Override
  public String toString() {
    String[] units = {"GB", "MB", "KB"};
    long[] factors = {1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < units.length; i++) {
      if (bytesPerSecond % factors[i] == 0) {
        return bytesPerSecond / factors[i] + " " + units[i] + "/s";
      }
    }
    return ByteSize.format(bytesPerSecond) + "/s";
  }
}
