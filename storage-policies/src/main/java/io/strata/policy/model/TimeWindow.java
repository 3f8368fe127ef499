package io.strata.policy.model;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily stretch of local time during which data may move, such as {@code 00:00-06:00}. A window
 * whose end is before its start runs past midnight ({@code 22:00-06:00}); {@code 24:00} ends a
 * window at midnight.
 *
 * @param startMinute minutes after midnight when the window opens, 0 to 1439
 * @param endMinute minutes after midnight when it closes, 1 to 1440, never equal to the start
 */
public record TimeWindow(int startMinute, int endMinute) {
  /** The forms {@link #parse} accepts, for error messages. */
  public static final String ALLOWED =
      "HH:MM-HH:MM in 24-hour time, e.g. 00:00-06:00 or 22:00-05:30";

  private static final Pattern TEXT =
      Pattern.compile("\\s*(\\d{1,2}):(\\d{2})\\s*[-–]\\s*(\\d{1,2}):(\\d{2})\\s*");

  public TimeWindow {
    if (startMinute < 0 || startMinute >= 1440 || endMinute < 1 || endMinute > 1440) {
      throw new IllegalArgumentException("a window runs within 00:00-24:00");
    }
    if (startMinute == endMinute) {
      throw new IllegalArgumentException("a window must not start and end at the same time");
    }
  }

  /**
   * Parses {@code HH:MM-HH:MM}.
   *
   * @throws IllegalArgumentException saying what was found and what is allowed
   */
  public static TimeWindow parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a time window; write " + ALLOWED);
    }
    int start = minute(m.group(1), m.group(2), false, text);
    int end = minute(m.group(3), m.group(4), true, text);
    if (start == end % 1440) {
      throw new IllegalArgumentException(
          "'" + text + "' starts and ends at the same time; leave out windows to move at any time");
    }
    return new TimeWindow(start, end);
  }

  private static int minute(String hours, String minutes, boolean end, String text) {
    int h = Integer.parseInt(hours);
    int m = Integer.parseInt(minutes);
    boolean midnight = end && h == 24 && m == 0;
    if (!midnight && (h > 23 || m > 59)) {
      throw new IllegalArgumentException(
          "'" + text + "' has a time outside 00:00-23:59 (24:00 may end a window)");
    }
    return h * 60 + m;
  }

  /** True when the local time of day falls inside the window (start inclusive, end exclusive). */
  public boolean contains(LocalTime time) {
    int minute = time.getHour() * 60 + time.getMinute();
    return startMinute < endMinute
        ? minute >= startMinute && minute < endMinute
        : minute >= startMinute || minute < endMinute;
  }

  /** The first instant at or after {@code from} when the window is open, in {@code zone}. */
  public ZonedDateTime nextOpen(ZonedDateTime from, ZoneId zone) {
    ZonedDateTime local = from.withZoneSameInstant(zone);
    if (contains(local.toLocalTime())) {
      return local;
    }
    ZonedDateTime opening =
        local.toLocalDate().atTime(startMinute / 60, startMinute % 60).atZone(zone);
    return opening.isBefore(local) ? opening.plusDays(1) : opening;
  }

  /** The file spelling: {@code 00:00-06:00}. */
  @Override
  public String toString() {
    return String.format(
        "%02d:%02d-%02d:%02d", startMinute / 60, startMinute % 60, endMinute / 60, endMinute % 60);
  }
}
