package io.strata.topology.placement;

import io.strata.topology.DomainLevel;
import java.util.List;
import java.util.Objects;

/**
 * Where the copies of a shard go: so many copies per tier, every copy in a different domain of the
 * {@code spread} level. "2 copies on hot-nvme, each in a different room" is {@code
 * PlacementRule(ROOM, [hot-nvme × 2])}; "1 warm and 1 cold in different sites" is {@code
 * PlacementRule(SITE, [warm-hdd × 1, cold-archive × 1])}.
 *
 * @param spread the level at which every copy must be in a distinct domain
 * @param copies copies per tier; a tier appears at most once
 */
public record PlacementRule(DomainLevel spread, List<TierCopies> copies) {
  public PlacementRule {
    Objects.requireNonNull(spread, "spread");
    copies = List.copyOf(copies);
    if (copies.isEmpty()) {
      throw new IllegalArgumentException("a placement rule needs at least one copy");
    }
    if (copies.stream().map(TierCopies::tier).distinct().count() != copies.size()) {
      throw new IllegalArgumentException("a tier appears twice in " + copies);
    }
  }

  /** The total number of copies. */
  public int totalCopies() {
    int n = 0;
    for (TierCopies c : copies) {
      n += c.count();
    }
    return n;
  }

  /** Readable form: {@code 2 × hot-nvme spread room}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (TierCopies c : copies) {
      if (!sb.isEmpty()) {
        sb.append(" + ");
      }
      sb.append(c.count()).append(" × ").append(c.tier());
    }
    return sb.append(" spread ").append(spread.label()).toString();
  }
}
