package io.strata.fleet.reconcile;

import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
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

  /** The rule of the policy's first phase: two hot copies in two rooms. */
  static final PlacementRule HOT =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));

  /** The rule of its second phase: a warm and a cold copy in two sites. */
  static final PlacementRule WARM_COLD =
      new PlacementRule(
          DomainLevel.SITE,
          List.of(new TierCopies("warm-hdd", 1), new TierCopies("cold-archive", 1)));

  private CtPolicy() {}

  /** The pools {@code rule} places {@code shard} on, in the demo topology. */
  static List<String> placed(Shard shard, PlacementRule rule) {
    return Placement.place(shard.id(), rule, DemoTopology.map()).stream().map(Pool::id).toList();
  }

  /** The CT policy with {@code more} appended (an expiry, say), and {@code others} beside it. */
  static PolicySet with(String more, PolicySource... others) {
    List<PolicySource> sources = new ArrayList<>();
    sources.add(new PolicySource("ct.yaml", YAML + more));
    sources.addAll(List.of(others));
    return PolicySet.of(PolicyLoader.load(sources, DemoTopology.map()).orThrow());
  }
}
