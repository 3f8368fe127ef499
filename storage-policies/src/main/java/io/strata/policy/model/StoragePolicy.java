package io.strata.policy.model;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One storage policy as loaded from a file: which objects it governs, where their copies live as
 * they age, how long they are kept, and how fast they may move. Immutable; built only by the
 * parser, which guarantees the invariants listed here.
 *
 * @param name unique among loaded policies: lowercase letters, digits and '-'
 * @param description free text for operators; may be empty
 * @param datasets the datasets it claims, by name or glob; never empty
 * @param selector which objects of those datasets it governs
 * @param recordClass what the data is in law, giving the legal minimum retention
 * @param timeZone for calendar arithmetic, metadata dates and movement windows
 * @param age where an object's age counts from
 * @param phases by ascending age; the first begins at {@code 0d}, so every object has one
 * @param retention the minimum keep and holds
 * @param expiry the age at which objects are deleted; {@code null} for never. Never before the
 *     retention minimum.
 * @param movement pacing of tier transitions
 * @param encryption the server-side encryption every copy Strata writes must have; {@code null}
 *     when the policy asks none
 * @param positions where each field was written, by dotted path ({@code phases.90d}, {@code
 *     retention.minimum}); {@code ""} is the policy itself
 */
public record StoragePolicy(
    String name,
    String description,
    List<DatasetPattern> datasets,
    ObjectSelector selector,
    RecordClass recordClass,
    ZoneId timeZone,
    AgeReference age,
    List<Phase> phases,
    Retention retention,
    PolicyDuration expiry,
    Movement movement,
    Encryption encryption,
    Map<String, SourcePosition> positions) {
  /** The zone used when a policy names none: the data centers this was built for. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  public StoragePolicy {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    datasets = List.copyOf(datasets);
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(recordClass, "recordClass");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(age, "age");
    phases = List.copyOf(phases);
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(movement, "movement");
    positions = Map.copyOf(positions);
    if (datasets.isEmpty()) {
      throw new IllegalArgumentException("policy '" + name + "' claims no dataset");
    }
    if (phases.isEmpty() || !phases.get(0).after().equals(PolicyDuration.ZERO)) {
      throw new IllegalArgumentException("policy '" + name + "' has no phase at 0d");
    }
  }

  /**
   * True when the policy selects on a DICOM attribute or counts age from the DICOM StudyDate: the
   * agents then read the headers of the objects of the datasets it claims.
   */
  public boolean usesDicom() {
    return age.fromDicom()
        || selector.metadata().keySet().stream().anyMatch(DicomFields::isReserved);
  }

  /** True when the policy claims the dataset by name or glob. */
  public boolean claims(String dataset) {
    return datasets.stream().anyMatch(p -> p.matches(dataset));
  }

  /**
   * Where a field was written; the nearest enclosing field's position when it was not written
   * itself (a default), and the policy's own position at worst.
   */
  public SourcePosition position(String field) {
    for (String f = field; ; f = f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : "") {
      SourcePosition p = positions.get(f);
      if (p != null) {
        return p;
      }
      if (f.isEmpty()) {
        return new SourcePosition(name, 1, 1);
      }
    }
  }

  /** The file the policy came from. */
  public String file() {
    return position("").file();
  }
}
