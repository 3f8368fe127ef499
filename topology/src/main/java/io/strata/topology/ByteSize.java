package io.strata.topology;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people write them: {@code 512KiB}, {@code 40TiB}, {@code 2GB}, {@code 1048576}.
 * Binary suffixes (KiB, MiB, GiB, TiB, PiB) are powers of 1024, decimal ones (KB, MB, GB, TB, PB)
 * powers of 1000, as in IEC 80000-13.
 */
public final class ByteSize {
  public static final long KIB = 1L << 10;
  public static final long MIB = 1L << 20;
  public static final long GIB = 1L << 30;
  public static final long TIB = 1L << 40;
  public static final long PIB = 1L << 50;

  private static final Pattern SIZE =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgtpe]i?b|b)?\\s*", Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /**
   * Parses a size.
   *
   * @throws IllegalArgumentException naming the text and the allowed forms when it is not one
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; write a number with B, KiB, MiB, GiB, TiB, PiB or KB..PB");
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    double factor =
        switch (unit) {
          case "b" -> 1;
          case "kib" -> KIB;
          case "mib" -> MIB;
          case "gib" -> GIB;
          case "tib" -> TIB;
          case "pib" -> PIB;
          case "eib" -> PIB * 1024.0;
          case "kb" -> 1e3;
          case "mb" -> 1e6;
          case "gb" -> 1e9;
          case "tb" -> 1e12;
          case "pb" -> 1e15;
          case "eb" -> 1e18;
          default -> throw new IllegalArgumentException("unknown unit in '" + text + "'");
        };
    double bytes = number * factor;
    if (bytes > Long.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is larger than 8 EiB");
    }
    return Math.round(bytes);
  }

  /** Formats with the largest binary unit that keeps at least one whole unit: {@code 1.5 TiB}. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes;
    int unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0
        ? bytes + " B"
        : String.format(Locale.ROOT, "%.1f %s", value, units[unit]).replace(".0 ", " ");
  }
}
