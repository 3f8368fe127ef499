package io.strata.bench.soak;

import io.strata.policy.PolicyLibrary;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.StoredObject;
import io.strata.policy.model.StoragePolicy;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.Pool;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether an object is where its phase requires: exactly the copies the phase's rule names per
 * tier, every one in a different domain of the rule's spread level, and none elsewhere. Computed
 * from the bundled imaging policy and the cluster map, as the controller computes it, but without
 * asking the controller. Immutable.
 */
final class PlacementCheck {
  private final ClusterMap map;
  private final StoragePolicy policy;
  private final AgeClock clock;

  PlacementCheck(ClusterMap map, AgeClock clock) {
    this.map = map;
    this.clock = clock;
    this.policy =
        PolicyLibrary.load(map).orThrow().stream()
            .filter(p -> p.name().equals("imaging-archive"))
            .findFirst()
            .orElseThrow();
  }

  /** The rule of the object's phase at wall-clock instant {@code wall}. */
  PlacementRule rule(LoadGenerator.Written w, Instant wall) {
    StoredObject object =
        new StoredObject(w.key(), w.size(), w.at(), Map.of("study-date", w.studyDate().toString()));
    return PolicyEvaluator.evaluate(policy, object, clock.at(wall)).rule();
  }

  /**
   * What is wrong with the object's copies, or null when they are where its phase requires.
   *
   * @param pools the pools holding a copy
   */
  String problem(LoadGenerator.Written w, Set<String> pools, Instant wall) {
    PlacementRule rule = rule(w, wall);
    Map<String, Integer> perTier = new HashMap<>();
    Set<String> domains = new HashSet<>();
    for (String id : pools) {
      Pool pool = map.pool(id).orElseThrow();
      perTier.merge(pool.tier(), 1, Integer::sum);
      domains.add(map.ancestor(pool, rule.spread()).map(Domain::id).orElse(id));
    }
    List<String> wrong = new ArrayList<>();
    Map<String, Integer> wanted = new HashMap<>();
    for (TierCopies copies : rule.copies()) {
      wanted.put(copies.tier(), copies.count());
    }
    if (!perTier.equals(wanted)) {
      wrong.add("copies per tier " + perTier + ", the rule wants " + wanted);
    }
    if (domains.size() != pools.size()) {
      wrong.add("copies share a " + rule.spread().label());
    }
    return wrong.isEmpty() ? null : "on " + pools + " (" + rule + "): " + String.join("; ", wrong);
  }
}
