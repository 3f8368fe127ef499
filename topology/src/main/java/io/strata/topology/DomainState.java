package io.strata.topology;

import java.util.Locale;
import java.util.Optional;

/**
 * The state of a domain or pool.
 *
 * <ul>
 *   <li>{@code UP}: serves reads and receives new copies.
 *   <li>{@code DRAINING}: keeps its copies until they are moved, receives none.
 *   <li>{@code OUT}: holds no desired copy; its data has been moved away.
 *   <li>{@code DOWN}: unreachable; its copies count as unavailable after a grace period.
 * </ul>
 */
public enum DomainState {
  UP,
  DRAINING,
  OUT,
  DOWN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when new copies may be placed here. */
  public boolean acceptsNewCopies() {
    return this == UP;
  }

  public static Optional<DomainState> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (DomainState state : values()) {
      if (state.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
