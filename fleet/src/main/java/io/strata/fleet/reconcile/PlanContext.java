package io.strata.fleet.reconcile;

import io.strata.fleet.expiry.Expiry;
import io.strata.fleet.expiry.LegalHold;
import io.strata.fleet.recall.Recall;
import io.strata.policy.evaluate.PolicySet;
import io.strata.topology.ClusterMap;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.Placer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a reconcile round plans against: one cluster map, the policies, which pools can be
 * used, the time, and the operator's switches. Immutable for the round.
 *
 * @param map the cluster map; placement is computed on it
 * @param policies the storage policies in force
 * @param availability per pool id; a pool absent here is {@link PoolAvailability#LOST}
 * @param landingPools per dataset, the pools hospitals write to
 * @param keepLandingCopies datasets whose landing copy stays after placement is verified
 * @param paused datasets whose movement is paused; {@code "*"} pauses all
 * @param now the reconciler's clock
 * @param recalls the recalls whose copies are held on the hot tier now
 * @param expiries the approved expiries not yet done
 * @param holds the legal holds standing
 */
public record PlanContext(
    ClusterMap map,
    PolicySet policies,
    Map<String, PoolAvailability> availability,
    Map<String, Set<String>> landingPools,
    Set<String> keepLandingCopies,
    Set<String> paused,
    Instant now,
    List<Recall> recalls,
    List<Expiry> expiries,
    List<LegalHold> holds) {

  public PlanContext {
    recalls = List.copyOf(recalls);
    expiries = List.copyOf(expiries);
    holds = List.copyOf(holds);
  }

  /** A context without expiries or legal holds. */
  public PlanContext(
      ClusterMap map,
      PolicySet policies,
      Map<String, PoolAvailability> availability,
      Map<String, Set<String>> landingPools,
      Set<String> keepLandingCopies,
      Set<String> paused,
      Instant now,
      List<Recall> recalls) {
    this(
        map,
        policies,
        availability,
        landingPools,
        keepLandingCopies,
        paused,
        now,
        recalls,
        List.of(),
        List.of());
  }

  /** A context without recalls. */
  public PlanContext(
      ClusterMap map,
      PolicySet policies,
      Map<String, PoolAvailability> availability,
      Map<String, Set<String>> landingPools,
      Set<String> keepLandingCopies,
      Set<String> paused,
      Instant now) {
    this(map, policies, availability, landingPools, keepLandingCopies, paused, now, List.of());
  }

  /** A placer over this round's map; not thread-safe, one per planning thread. */
  public Placer placer() {
    return Placement.placer(map);
  }

  public PoolAvailability availability(String pool) {
    return availability.getOrDefault(pool, PoolAvailability.LOST);
  }

  public boolean isLanding(String dataset, String pool) {
    return landingPools.getOrDefault(dataset, Set.of()).contains(pool);
  }

  public boolean isPaused(String dataset) {
    return paused.contains("*") || paused.contains(dataset);
  }
}
