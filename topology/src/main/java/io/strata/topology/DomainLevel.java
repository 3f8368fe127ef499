package io.strata.topology;

import java.util.Locale;
import java.util.Optional;

/** The levels of the failure-domain tree, from the widest to the narrowest. */
public enum DomainLevel {
  REGION,
  SITE,
  ROOM,
  ROW,
  RACK,
  NODE;

  /** The spelling used in files and APIs: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when this level lies strictly inside {@code other} (a rack is below a room). */
  public boolean isBelow(DomainLevel other) {
    return ordinal() > other.ordinal();
  }

  /** Parses the file spelling ({@code rack}); empty when the word names no level. */
  public static Optional<DomainLevel> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (DomainLevel level : values()) {
      if (level.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
