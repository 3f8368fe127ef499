package io.strata.topology;

import java.util.Map;
import java.util.Objects;

/**
 * One node of the failure-domain tree: a region, site, room, row, rack or storage node.
 *
 * @param id unique across the whole map
 * @param level where it sits in the tree
 * @param parent the id of the enclosing domain; {@code null} only for a region
 * @param labels free-form labels (city, address, power feed)
 * @param state its state; a domain that is not up makes everything below it unavailable too
 */
public record Domain(
    String id, DomainLevel level, String parent, Map<String, String> labels, DomainState state) {
  public Domain {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(level, "level");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    state = state == null ? DomainState.UP : state;
  }

  public Domain withState(DomainState newState) {
    return new Domain(id, level, parent, labels, newState);
  }
}
