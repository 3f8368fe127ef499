package io.strata.policy.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A span of time as policies write it: a whole number and a unit, {@code 36h}, {@code 90d}, {@code
 * 2w}, {@code 6mo}, {@code 5y}. Days, months and years are calendar units: {@link #addTo} adds them
 * in a time zone, so {@code 30y} after 2000-02-29 is 2030-02-28, as a person would count.
 *
 * <p>Comparing spans of different units uses their average length (a year is 365.2425 days, a month
 * a twelfth of that); spans of the same unit compare exactly.
 *
 * @param amount how many units, from 0 to {@link #MAX_YEARS} years' worth
 * @param unit the unit
 */
public record PolicyDuration(long amount, Unit unit) implements Comparable<PolicyDuration> {
  /**
   * The longest span a policy may name, so that every date computed from it stays representable.
   */
  public static final int MAX_YEARS = 1000;

  /** Zero days: the age at which every object enters its first phase. */
  public static final PolicyDuration ZERO = new PolicyDuration(0, Unit.DAYS);

  /** The forms {@link #parse} accepts, for error messages. */
  public static final String ALLOWED = "a whole number followed by h, d, w, mo or y (36h, 90d, 5y)";

  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*(h|d|w|mo|y)");

  /** The units, with their spelling and average length in hours. */
  public enum Unit {
    HOURS("h", 1),
    DAYS("d", 24),
    WEEKS("w", 24 * 7),
    MONTHS("mo", 24 * 365.2425 / 12),
    YEARS("y", 24 * 365.2425);

    private final String symbol;
    private final double hours;

    Unit(String symbol, double hours) {
      this.symbol = symbol;
      this.hours = hours;
    }

    public String symbol() {
      return symbol;
    }
  }

  public PolicyDuration {
    if (unit == null) {
      throw new IllegalArgumentException("a duration needs a unit");
    }
    if (amount < 0 || amount * unit.hours > MAX_YEARS * Unit.YEARS.hours) {
      throw new IllegalArgumentException(
          "'" + amount + unit.symbol + "' is not between 0 and " + MAX_YEARS + "y");
    }
  }

  /**
   * Parses {@code 90d}, {@code 36h}, {@code 5y} (case-insensitive, blanks around allowed).
   *
   * @throws IllegalArgumentException saying what was found and what is allowed
   */
  public static PolicyDuration parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; write " + ALLOWED);
    }
    long amount = Long.parseLong(m.group(1));
    Unit unit =
        switch (m.group(2)) {
          case "h" -> Unit.HOURS;
          case "d" -> Unit.DAYS;
          case "w" -> Unit.WEEKS;
          case "mo" -> Unit.MONTHS;
          default -> Unit.YEARS;
        };
    return new PolicyDuration(amount, unit);
  }

  /** The instant this span after {@code start}, counting calendar units in {@code zone}. */
  public Instant addTo(Instant start, ZoneId zone) {
    ZonedDateTime t = start.atZone(zone);
    return switch (unit) {
      case HOURS -> start.plusSeconds(amount * 3600);
      case DAYS -> t.plusDays(amount).toInstant();
      case WEEKS -> t.plusWeeks(amount).toInstant();
      case MONTHS -> t.plusMonths(amount).toInstant();
      case YEARS -> t.plusYears(amount).toInstant();
    };
  }

  /** The average length in hours, for comparing spans of different units. */
  public double averageHours() {
    return amount * unit.hours;
  }

  @Override
  public int compareTo(PolicyDuration other) {
    if (unit == other.unit) {
      return Long.compare(amount, other.amount);
    }
    return Double.compare(averageHours(), other.averageHours());
  }

  /** True when this span is shorter than {@code other}. */
  public boolean isShorterThan(PolicyDuration other) {
    return compareTo(other) < 0;
  }

  /** The file spelling: {@code 90d}. */
  @Override
  public String toString() {
    return amount + unit.symbol;
  }
}
