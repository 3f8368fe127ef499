package io.strata.controller.kubernetes;

import java.time.Instant;
import java.util.Map;

/**
 * What the controller takes from a Kubernetes node: its labels and whether it can be counted on.
 *
 * @param name the node's name, which is its domain's id in the map and its agent's {@code node}
 * @param labels its labels
 * @param notReadySince when its {@code Ready} condition last left {@code True}; null while ready
 * @param cordonedSince when this replica first saw it unschedulable; null while schedulable
 */
public record NodeFacts(
    String name, Map<String, String> labels, Instant notReadySince, Instant cordonedSince) {
  public NodeFacts {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
