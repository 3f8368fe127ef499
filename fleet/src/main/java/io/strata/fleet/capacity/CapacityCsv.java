package io.strata.fleet.capacity;

import java.util.List;
import java.util.Locale;

/** A forecast as CSV (RFC 4180): a header, then one line per row; bytes as integers. */
public final class CapacityCsv {
  public static final String HEADER =
      "tier,site,room,pool,pools,pools_counted,capacity_bytes,limit_bytes,used_bytes,fill,"
          + "growth_bytes_per_day,days_until_full,full_on,no_capacity";

  private CapacityCsv() {}

  public static String write(List<CapacityForecast.Row> rows) {
    StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
    for (CapacityForecast.Row r : rows) {
      sb.append(field(r.tier()))
          .append(',')
          .append(field(r.site()))
          .append(',')
          .append(field(r.room()))
          .append(',')
          .append(field(r.pool()))
          .append(',')
          .append(r.pools())
          .append(',')
          .append(r.poolsCounted())
          .append(',')
          .append(r.capacityBytes())
          .append(',')
          .append(r.limitBytes())
          .append(',')
          .append(r.usedBytes())
          .append(',')
          .append(r.fill() < 0 ? "" : number(r.fill(), 4))
          .append(',')
          .append(r.growthBytesPerDay() == null ? "" : number(r.growthBytesPerDay(), 0))
          .append(',')
          .append(r.daysUntilFull() == null ? "" : number(r.daysUntilFull(), 1))
          .append(',')
          .append(r.fullOn() == null ? "" : r.fullOn().toString())
          .append(',')
          .append(field(r.noCapacity()))
          .append("\r\n");
    }
    return sb.toString();
  }

  private static String number(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /**
   * A text field, quoted when it holds a comma, a quote or a line break; empty for null. One that
   * begins as a spreadsheet formula would ({@code = + - @}, tab, carriage return) gets a leading
   * {@code '}, so that opening the export never runs a formula (OWASP's advice on CSV injection).
   */
  public static String field(String value) {
    if (value == null) {
      return "";
    }
    String text =
        !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
