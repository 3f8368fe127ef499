package io.strata.fleet.view;

import io.strata.policy.model.Phase;
import io.strata.policy.model.StoragePolicy;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Why each copy of one object is where it is, or should be: the answer an operator wants to "where
 * is this study and why is it there". Pure: the caller reads the pools and the recalls, this only
 * reasons about them, as the reconciler would. Thread-safe (no state).
 */
public final class CopyReasons {
  private CopyReasons() {}

  /** Whether a pool's copy is one the policy wants, one beyond it, or one it wants and lacks. */
  public enum Status {
    DESIRED,
    EXTRA,
    MISSING,
    /** No policy governs the object: Strata leaves its copies where they are. */
    KEPT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The reason a copy is extra, most telling first; {@code label()} is what the API answers. */
  public enum Reason {
    /** The current phase's rule places a copy on the pool. */
    PLACEMENT,
    /** The current phase's rule places a copy on the pool and none was found. */
    NOT_COPIED,
    /** A recall keeps a copy on the policy's hot tier until it ends. */
    RECALL,
    /**
     * The copy's own markers keep it: a legal hold, or a retain-until the copies that stay do not
     * carry as late.
     */
    RETAINED,
    /** The pool (or a domain above it) is draining, out or down: its copies move away. */
    POOL_STATE,
    /** An earlier phase of the policy placed it here; the object has aged past that phase. */
    OLD_PHASE,
    /** Written to the dataset's landing pool, not yet moved to its placement. */
    LANDING,
    /** No phase places it on this pool (the map or the weights changed since it was copied). */
    NOT_PLACED,
    /** No policy governs the object. */
    NO_POLICY;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One pool's part in the object's placement.
   *
   * @param pool the pool's id
   * @param status desired, extra, missing, or kept when no policy governs the object
   * @param reason why, as a {@link Reason}
   * @param detail the reason in a sentence, naming the phase, state or recall it rests on
   */
  public record Verdict(String pool, Status status, Reason reason, String detail) {}

  /**
   * What the object's copies are.
   *
   * @param map the cluster map in force
   * @param placementKey the placement key of the object's shard
   * @param policy the policy that governs the object; null when none does
   * @param phase the phase the object is in; null when no policy governs it
   * @param desired the pools the phase's rule places the object on, in placement order
   * @param known the pools found holding a copy
   * @param landingPools the dataset's landing pools
   * @param recall the id of a recall in force that names the object, or null
   * @param keptBy of a pool, why its copy's markers keep it (as {@code StrataMetadata.keeps}
   *     answers, against the desired copies), or null when they let it go
   * @return a verdict for every known pool, then one for every desired pool lacking a copy
   */
  public static List<Verdict> explain(
      ClusterMap map,
      String placementKey,
      StoragePolicy policy,
      Phase phase,
      List<String> desired,
      Collection<String> known,
      Collection<String> landingPools,
      String recall,
      Function<String, String> keptBy) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    for (String pool : known) {
      if (policy == null) {
        out.put(
            pool,
            new Verdict(
                pool,
                Status.KEPT,
                Reason.NO_POLICY,
                "no policy governs the object: Strata leaves its copies where they are"));
      } else if (desired.contains(pool)) {
        out.put(
            pool,
            new Verdict(
                pool,
                Status.DESIRED,
                Reason.PLACEMENT,
                "phase " + phase.after() + " places a copy here (" + phase.rule() + ")"));
      } else {
        out.put(pool, extra(map, placementKey, policy, phase, pool, landingPools, recall, keptBy));
      }
    }
    if (policy != null) {
      for (String pool : desired) {
        if (!known.contains(pool)) {
          out.put(
              pool,
              new Verdict(
                  pool,
                  Status.MISSING,
                  Reason.NOT_COPIED,
                  "phase "
                      + phase.after()
                      + " places a copy here and none was found (absent, or the pool did not"
                      + " answer): the reconciler copies it"));
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  private static Verdict extra(
      ClusterMap map,
      String placementKey,
      StoragePolicy policy,
      Phase phase,
      String poolId,
      Collection<String> landingPools,
      String recall,
      Function<String, String> keptBy) {
    Pool pool = map.pool(poolId).orElse(null);
    String hotTier = policy.phases().get(0).rule().copies().get(0).tier();
    String goes = "; it goes once every desired copy is verified";
    if (recall != null && pool != null && pool.tier().equals(hotTier)) {
      return new Verdict(
          poolId,
          Status.EXTRA,
          Reason.RECALL,
          "recall " + recall + " keeps a copy on the hot tier " + hotTier + " until it ends");
    }
    String kept = keptBy.apply(poolId);
    if (kept != null) {
      return new Verdict(
          poolId,
          Status.EXTRA,
          Reason.RETAINED,
          "its markers keep it: "
              + kept
              + "; it goes once they pass, or once the copies that stay carry its date");
    }
    if (pool != null && map.effectiveState(pool) != DomainState.UP) {
      return new Verdict(
          poolId,
          Status.EXTRA,
          Reason.POOL_STATE,
          "the pool is " + map.effectiveState(pool).label() + ": its copies move away" + goes);
    }
    for (Phase earlier : policy.phases()) {
      if (earlier.after().compareTo(phase.after()) >= 0) {
        break;
      }
      boolean placedThen =
          Placement.place(placementKey, earlier.rule(), map).stream()
              .anyMatch(p -> Objects.equals(p.id(), poolId));
      if (placedThen) {
        return new Verdict(
            poolId,
            Status.EXTRA,
            Reason.OLD_PHASE,
            "phase "
                + earlier.after()
                + " placed it here and the object is now in phase "
                + phase.after()
                + goes);
      }
    }
    if (landingPools.contains(poolId)) {
      return new Verdict(
          poolId,
          Status.EXTRA,
          Reason.LANDING,
          "written to the dataset's landing pool, not yet moved to its placement" + goes);
    }
    return new Verdict(
        poolId,
        Status.EXTRA,
        Reason.NOT_PLACED,
        "no phase places it on this pool (the map or a weight changed since it was copied)" + goes);
  }
}
