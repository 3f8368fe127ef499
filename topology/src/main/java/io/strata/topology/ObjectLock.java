package io.strata.topology;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a pool locks the copies Strata writes (S3 object lock, as MinIO implements it), and how.
 *
 * <ul>
 *   <li>{@code NONE}: no lock; the copies' {@code strata-retain-until} markers alone keep them.
 *   <li>{@code GOVERNANCE}: each copy is locked until its marker's date; Strata deletes a locked
 *       copy only when its own rule allows it (its date passed, or copies that stay carry it), by
 *       bypassing governance retention.
 *   <li>{@code COMPLIANCE}: each copy is locked until its marker's date, and nobody can delete it
 *       before: a copy there whose date is in force is pinned where it is.
 * </ul>
 */
public enum ObjectLock {
  NONE,
  GOVERNANCE,
  COMPLIANCE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The retention mode S3 names it by ({@code GOVERNANCE}, {@code COMPLIANCE}); null for none. */
  public String s3Mode() {
    return this == NONE ? null : name();
  }

  /** The lock named {@code text} (none for null); empty when it names none. */
  public static Optional<ObjectLock> parse(String text) {
    if (text == null) {
      return Optional.of(NONE);
    }
    for (ObjectLock lock : values()) {
      if (lock.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(lock);
      }
    }
    return Optional.empty();
  }
}
