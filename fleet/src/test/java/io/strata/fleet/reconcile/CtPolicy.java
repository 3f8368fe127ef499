package io.strata.fleet.reconcile;

import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.DemoTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * The CT policy the planning tests share: CT studies by their DICOM header, two hot copies in two
 * rooms for 90 days, then warm and cold in two sites, kept 30 years.
 */
final class CtPolicy {
  static final String YAML =
      """
      policy: ct-studies
      datasets: ["*-imaging"]
      select: {dicom.modality: CT}
      recordClass: inpatient
      age: {from: dicom}
      phases:
        0d: 2 × hot-nvme spread room
        90d: warm-hdd + cold-archive spread site
      retention: {minimum: 30y}
      """;

  private CtPolicy() {}

  /** The CT policy with {@code more} appended (an expiry, say), and {@code others} beside it. */
  static PolicySet with(String more, PolicySource... others) {
    List<PolicySource> sources = new ArrayList<>();
    sources.add(new PolicySource("ct.yaml", YAML + more));
    sources.addAll(List.of(others));
    return PolicySet.of(PolicyLoader.load(sources, DemoTopology.map()).orThrow());
  }
}
