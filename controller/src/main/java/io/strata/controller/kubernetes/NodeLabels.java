package io.strata.controller.kubernetes;

import io.strata.topology.DomainLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which node labels name a storage node's failure domains.
 *
 * @param byLevel per level from region to rack, the label keys that name it; the first present wins
 * @param prefix labels under it that name no level are mistakes (a misspelt {@code strata.io/rak})
 * @param storageKey the key of the label every storage node carries
 * @param storageValue its value
 */
public record NodeLabels(
    Map<DomainLevel, List<String>> byLevel, String prefix, String storageKey, String storageValue) {
  public NodeLabels {
    byLevel = Map.copyOf(byLevel);
  }

  /** One level of a node's place: the domain's level and id. */
  public record Step(DomainLevel level, String id) {}

  /**
   * Where a node's labels put it, from its region down to the node itself, or the problems that
   * keep them from placing it (each naming the node and the label).
   */
  public record Place(List<Step> steps, List<String> problems) {}

  /** Reads a node's place from its labels. */
  public Place place(String node, Map<String, String> labels) {
    List<String> problems = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    for (String key : labels.keySet()) {
      if (prefix.isEmpty()
          || !key.startsWith(prefix)
          || key.equals(storageKey)
          || isLevelKey(key)) {
        continue;
      }
      problems.add(
          "node '"
              + node
              + "': label "
              + key
              + " names no level of the failure-domain tree; levels: "
              + describe());
    }
    for (DomainLevel level : DomainLevel.values()) {
      List<String> keys = byLevel.get(level);
      if (keys == null) {
        continue;
      }
      for (String key : keys) {
        String value = labels.get(key);
        if (value != null && !value.isBlank()) {
          steps.add(new Step(level, value));
          break;
        }
      }
    }
    if (steps.isEmpty() || steps.get(0).level() != DomainLevel.REGION) {
      problems.add(
          "node '"
              + node
              + "' has no region label ("
              + String.join(" or ", byLevel.get(DomainLevel.REGION))
              + ")");
    }
    steps.add(new Step(DomainLevel.NODE, node));
    return new Place(List.copyOf(steps), List.copyOf(problems));
  }

  private boolean isLevelKey(String key) {
    return byLevel.values().stream().anyMatch(keys -> keys.contains(key));
  }

  /** The levels and their labels, for messages. */
  public String describe() {
    return byLevel.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey().label() + " (" + String.join(", ", e.getValue()) + ")")
        .collect(Collectors.joining(", "));
  }
}
