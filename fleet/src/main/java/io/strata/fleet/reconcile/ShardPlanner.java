package io.strata.fleet.reconcile;

import io.strata.fleet.expiry.Due;
import io.strata.fleet.expiry.Expiry;
import io.strata.fleet.expiry.ExpiryProgress;
import io.strata.fleet.expiry.LegalHold;
import io.strata.fleet.recall.Recall;
import io.strata.fleet.recall.RecallProgress;
import io.strata.policy.evaluate.CopyRetention;
import io.strata.policy.evaluate.Evaluation;
import io.strata.policy.evaluate.PolicyEvaluator;
import io.strata.policy.evaluate.StoredObject;
import io.strata.policy.model.StoragePolicy;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.DeleteProof;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.VerifiedCopy;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.ObjectLock;
import io.strata.topology.Pool;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.Placer;
import io.strata.topology.placement.TierCopies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Plans one shard: from what every pool holds of it to the copies and deletions that bring it to
 * the placement its objects' policies require. Pure: no I/O, no clock; the same input always gives
 * the same tasks, with ids derived from their content ({@link TaskGroups}), so planning again after
 * a crash or a leader change re-creates the same tasks rather than new ones.
 *
 * <p>The rules that keep data safe:
 *
 * <ul>
 *   <li>A copy is <em>verified</em> when it carries Strata's SHA-256 marker, equal to the marker
 *       most copies of the object carry, and the same size. Copies without a marker (a hospital's
 *       upload to a landing pool) are good when their size matches, but never serve as proof.
 *   <li>Nothing is deleted from a shard unless every pool that can be read was scanned at the
 *       current epoch, every copy the phase requires exists and is verified, and the extra copy's
 *       pool is readable. Every deletion carries the proof the agent re-checks.
 *   <li>Copies on pools in the grace period still count (a node back in time moves nothing) but are
 *       neither read nor deleted; copies on lost pools do not count.
 * </ul>
 *
 * <p>An object that a recall in the context names ({@link PlanContext#recalls}) keeps, beside the
 * copies of its phase, one copy on the tier of its policy's first phase (the hot tier), on the
 * first pool of that tier that placement picks for the shard, copied at {@link
 * TaskPriority#RECALL}; once no recall names it, that copy is an extra like any other and goes
 * after the phase's copies are verified.
 */
public final class ShardPlanner {
  private ShardPlanner() {}

  /** The state of one object across pools, as the planner reasons about it. */
  private record ObjectCopies(
      String key,
      Map<String, ListedObject> copies,
      ListedObject reference,
      String referenceSha,
      Set<String> corrupt) {
    boolean good(String pool) {
      ListedObject c = copies.get(pool);
      return c != null
          && !corrupt.contains(pool)
          && c.size() == reference.size()
          && (c.sha256() == null
              || referenceSha == null
              || c.sha256().equalsIgnoreCase(referenceSha));
    }

    boolean verified(String pool) {
      ListedObject c = copies.get(pool);
      return c != null
          && !corrupt.contains(pool)
          && referenceSha != null
          && c.size() == reference.size()
          && referenceSha.equalsIgnoreCase(c.sha256());
    }
  }

  /**
   * Plans the shard.
   *
   * @param scans the last scan of the shard in each pool; the caller passes one for every available
   *     pool (planning on a partial view could delete a copy it did not see)
   */
  public static ShardPlan plan(Shard shard, Map<String, PoolScan> scans, PlanContext ctx) {
    return plan(shard, scans, Map.of(), ctx);
  }

  /**
   * Plans the shard, knowing which copies a scrub found wrong.
   *
   * @param corrupt pool id to the keys whose copy there does not match its checksum: such a copy
   *     does not count, serves neither as source nor as proof, and is repaired (a copy that
   *     overwrites it) from a verified one
   */
  public static ShardPlan plan(
      Shard shard, Map<String, PoolScan> scans, Map<String, Set<String>> corrupt, PlanContext ctx) {
    Map<CopyState, Integer> states = new java.util.EnumMap<>(CopyState.class);
    Placer placer = ctx.placer();
    Map<PlacementRule, List<String>> placements = new HashMap<>();
    List<String> olderScans = new ArrayList<>();
    for (PoolScan scan : new TreeMap<>(scans).values()) {
      if (scan.epoch() != ctx.map().epoch()
          && ctx.availability(scan.pool()) != PoolAvailability.LOST) {
        olderScans.add(scan.pool());
      }
    }
    TaskGroups groups = new TaskGroups(!olderScans.isEmpty());
    Map<String, RecallProgress> recalled = new TreeMap<>();
    Map<String, ExpiryProgress> expiring = new TreeMap<>();
    Map<Due, ExpiryProgress> due = new TreeMap<>(DUE_ORDER);
    java.time.Instant landedSince = null;
    Map<String, Optional<String>> recallPools = new HashMap<>();
    ShardStock.Counter stock = new ShardStock.Counter();

    List<ObjectCopies> objects = objects(scans, corrupt, ctx);
    // The instances of a study are planned as one: each sees its study's date and modality.
    Map<String, ObjectFacts.Study> studies =
        ObjectFacts.studies(objects.stream().map(ObjectCopies::reference).toList());
    for (ObjectCopies object : objects) {
      Map<String, String> facts = ObjectFacts.metadata(object.reference(), studies);
      Optional<StoragePolicy> policy =
          ctx.policies().governing(shard.dataset(), object.key(), facts).policy();
      if (policy.isEmpty()) {
        continue; // No policy governs it: Strata leaves it where it is.
      }
      Evaluation eval =
          PolicyEvaluator.evaluate(
              policy.get(),
              new StoredObject(
                  object.key(),
                  object.reference().size(),
                  object.reference().lastModified(),
                  facts),
              ctx.now());
      if (eval.expired() && eval.deletion().allowed()) {
        Expiry expiry = approved(shard.dataset(), policy.get().name(), eval, object, ctx);
        if (expiry == null) {
          long size = object.reference().size();
          due.merge(
              new Due(shard.dataset(), policy.get().name()),
              held(shard.dataset(), object, ctx)
                  ? ExpiryProgress.held(size)
                  : ExpiryProgress.deleting(size, object.copies().size()),
              ExpiryProgress::plus);
        } else if (expire(shard, object, expiry, olderScans.isEmpty(), ctx, groups, expiring)) {
          states.merge(CopyState.OK, 1, Integer::sum);
          continue; // Destroyed: no copy of it is made or kept.
        }
      }
      stock.add(policy.get().name(), eval.age().reference(), ctx.now(), object.reference().size());
      // Each copy written for this phase is retained until the phase ends, or the retention does.
      java.time.Instant retainUntil = CopyRetention.retainUntil(eval).orElse(null);
      PlacementRule rule = eval.rule();
      List<String> desired =
          placements.computeIfAbsent(
              rule, r -> placer.place(shard.placementKey(), r).stream().map(Pool::id).toList());
      String recallPool = null;
      List<Recall> naming = recallsNaming(shard.dataset(), object.reference(), ctx);
      if (!naming.isEmpty()) {
        String hotTier = policy.get().phases().get(0).rule().copies().get(0).tier();
        boolean hot = hasGoodCopyOn(hotTier, object, ctx);
        for (Recall recall : naming) {
          recalled.merge(
              recall.id(), RecallProgress.of(object.reference().size(), hot), RecallProgress::plus);
        }
        if (!onTier(hotTier, desired, ctx)) {
          recallPool =
              recallPools
                  .computeIfAbsent(hotTier, tier -> hotPool(shard, tier, placer))
                  .orElse(null);
        }
      }
      CopyState state =
          planObject(
              shard,
              object,
              policy.get(),
              rule,
              desired,
              recallPool,
              eval.movementOpen(),
              retainUntil,
              ctx,
              groups);
      states.merge(state, 1, Integer::sum);
      if (state != CopyState.OK && freshUpload(shard, object, ctx)) {
        for (ListedObject copy : object.copies().values()) {
          java.time.Instant at = copy.lastModified();
          landedSince =
              landedSince == null || (at != null && at.isBefore(landedSince)) ? at : landedSince;
        }
      }
    }
    return new ShardPlan(
        groups.tasks(shard, ctx.map().epoch()),
        states,
        groups.deletesHeld() ? olderScans : List.of(),
        placements,
        recalled,
        expiring,
        due,
        landedSince,
        stock.of(shard.dataset(), ctx.now()));
  }

  private static final java.util.Comparator<Due> DUE_ORDER =
      java.util.Comparator.comparing(Due::dataset).thenComparing(Due::policy);

  /**
   * The approved expiry that covers the object, if one does: same dataset and policy, an expiry
   * date on or before its cutoff, and its first copy written before it was approved (copies made
   * since, by a transition, are of the same object).
   */
  private static Expiry approved(
      String dataset, String policy, Evaluation eval, ObjectCopies object, PlanContext ctx) {
    if (ctx.expiries().isEmpty()) {
      return null;
    }
    java.time.Instant written = null;
    for (ListedObject copy : object.copies().values()) {
      java.time.Instant at = copy.lastModified();
      written = written == null || (at != null && at.isBefore(written)) ? at : written;
    }
    for (Expiry expiry : ctx.expiries()) {
      if (expiry.covers(dataset, policy, eval.expiresAt(), written)) {
        return expiry;
      }
    }
    return null;
  }

  /** Whether a legal hold names the object, by any of its copies' listing. */
  private static boolean held(String dataset, ObjectCopies object, PlanContext ctx) {
    for (LegalHold hold : ctx.holds()) {
      for (ListedObject copy : object.copies().values()) {
        if (hold.names(dataset, copy)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Plans the destruction of every copy of an object an approved expiry covers, unless a legal hold
   * names it or one of its copies cannot be accounted for: a copy on a pool in its grace period (it
   * can be neither read nor deleted), or a pool in its grace period whose listing of the shard the
   * plan lacks (it may hold a copy nobody has seen). Every copy goes in the same plan, or none.
   *
   * @param scansCurrent whether every scan is at the map's epoch; the deletions are held otherwise
   * @return true when the object is destroyed by this plan, so that nothing else is planned for it
   */
  private static boolean expire(
      Shard shard,
      ObjectCopies object,
      Expiry expiry,
      boolean scansCurrent,
      PlanContext ctx,
      TaskGroups groups,
      Map<String, ExpiryProgress> expiring) {
    long size = object.reference().size();
    if (held(shard.dataset(), object, ctx)) {
      expiring.merge(expiry.id(), ExpiryProgress.held(size), ExpiryProgress::plus);
      return false;
    }
    boolean accounted = true;
    for (String pool : object.copies().keySet()) {
      accounted &= ctx.availability(pool) == PoolAvailability.AVAILABLE;
    }
    for (var e : ctx.availability().entrySet()) {
      accounted &=
          e.getValue() != PoolAvailability.IN_GRACE || object.copies().containsKey(e.getKey());
    }
    // A copy its markers still keep (a retention not yet passed, a legal hold on the copy) keeps
    // the object whole: the agent would refuse that copy's deletion, and every copy goes or none.
    boolean markedHold = false;
    for (ListedObject copy : object.copies().values()) {
      markedHold |= StrataMetadata.legalHold(copy.metadata()).isPresent();
      accounted &= StrataMetadata.protection(copy.metadata(), ctx.now()).isEmpty();
    }
    if (markedHold) {
      expiring.merge(expiry.id(), ExpiryProgress.held(size), ExpiryProgress::plus);
      return false;
    }
    // A pause of the dataset's movement holds its destruction too.
    if (!accounted || ctx.isPaused(shard.dataset())) {
      expiring.merge(expiry.id(), ExpiryProgress.waiting(size), ExpiryProgress::plus);
      return false;
    }
    for (var copy : new TreeMap<>(object.copies()).entrySet()) {
      ListedObject c = copy.getValue();
      // Held by the groups, and the shard rescanned, while a scan is from an older map.
      // A copy without a marker (a hospital's upload) is named by the marker of the others, which
      // the agent checks by hashing it.
      String sha = c.sha256() != null ? c.sha256() : object.referenceSha();
      groups.expire(
          copy.getKey(),
          object.key(),
          new VerifiedCopy(copy.getKey(), c.size(), sha == null ? DeleteProof.UNMARKED : sha),
          expiry.id());
    }
    if (!scansCurrent) {
      expiring.merge(expiry.id(), ExpiryProgress.waiting(size), ExpiryProgress::plus);
      return false;
    }
    expiring.merge(
        expiry.id(), ExpiryProgress.deleting(size, object.copies().size()), ExpiryProgress::plus);
    return true;
  }

  /** The recalls of the context that name the object. */
  private static List<Recall> recallsNaming(String dataset, ListedObject object, PlanContext ctx) {
    if (ctx.recalls().isEmpty()) {
      return List.of();
    }
    List<Recall> out = new ArrayList<>();
    for (Recall recall : ctx.recalls()) {
      if (recall.names(dataset, object)) {
        out.add(recall);
      }
    }
    return out;
  }

  /** Whether one of {@code pools} is of {@code tier}. */
  private static boolean onTier(String tier, List<String> pools, PlanContext ctx) {
    for (String pool : pools) {
      if (ctx.map().pool(pool).map(p -> p.tier().equals(tier)).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a pool of {@code tier} that is not lost holds a good copy of the object. */
  private static boolean hasGoodCopyOn(String tier, ObjectCopies object, PlanContext ctx) {
    for (String pool : object.copies().keySet()) {
      if (object.good(pool)
          && ctx.availability(pool) != PoolAvailability.LOST
          && onTier(tier, List.of(pool), ctx)) {
        return true;
      }
    }
    return false;
  }

  /** The pool of {@code tier} that placement picks first for the shard, if the map has one. */
  private static Optional<String> hotPool(Shard shard, String tier, Placer placer) {
    try {
      PlacementRule one = new PlacementRule(DomainLevel.NODE, List.of(new TierCopies(tier, 1)));
      return placer.place(shard.placementKey(), one).stream().map(Pool::id).findFirst();
    } catch (RuntimeException e) {
      return Optional.empty(); // No pool of the tier can be placed on now: nothing comes back.
    }
  }

  private static CopyState planObject(
      Shard shard,
      ObjectCopies object,
      StoragePolicy policy,
      PlacementRule rule,
      List<String> desired,
      String recallPool,
      boolean windowOpen,
      java.time.Instant retainUntil,
      PlanContext ctx,
      TaskGroups groups) {
    int required = rule.totalCopies();
    int counted = 0;
    for (String pool : object.copies().keySet()) {
      if (object.good(pool)) {
        counted++;
      }
    }
    boolean onlyLanding = freshUpload(shard, object, ctx);
    String source = bestSource(object, ctx);
    if (recallPool != null
        && !object.good(recallPool)
        && source != null
        && ctx.availability(recallPool) == PoolAvailability.AVAILABLE
        && allowed(TaskPriority.RECALL, windowOpen, shard, ctx)) {
      groups.copy(
          object.corrupt().contains(recallPool) ? "repair" : "copy",
          source,
          recallPool,
          TaskPriority.RECALL,
          object.key(),
          object.reference().size(),
          null,
          0,
          null); // A recall's copy is an extra once the recall ends: it carries no date.
    }
    // The copies this plan keeps: the phase's, and the one a recall holds on the hot tier.
    List<String> kept = desired;
    if (recallPool != null) {
      kept = new ArrayList<>(desired);
      kept.add(recallPool);
    }
    List<String> missing = new ArrayList<>();
    List<String> unstamped = new ArrayList<>();
    for (String pool : desired) {
      if (!object.good(pool)) {
        missing.add(pool);
      } else if (!object.verified(pool)) {
        unstamped.add(pool);
      }
    }
    boolean extras = false;
    for (String pool : object.copies().keySet()) {
      extras |= !kept.contains(pool);
    }
    CopyState state;
    if (missing.isEmpty()) {
      state = extras ? CopyState.MISPLACED : CopyState.OK;
    } else if (counted >= required) {
      state = CopyState.MISPLACED;
    } else if (counted <= 1 && required > 1 && !onlyLanding) {
      state = CopyState.AT_RISK;
    } else {
      state = CopyState.UNDER_REPLICATED;
    }
    if (!missing.isEmpty()) {
      TaskPriority priority;
      if (counted < required && onlyLanding) {
        // New objects from a hospital: the hospital's own archive still holds the original.
        priority = TaskPriority.INGEST;
      } else if (counted <= 1 && required > 1) {
        priority = TaskPriority.DATA_AT_RISK;
      } else if (counted < required) {
        priority = TaskPriority.MISSING_COPY;
      } else {
        priority = voluntaryReason(object, rule, desired, ctx);
      }
      if (source == null || !allowed(priority, windowOpen, shard, ctx)) {
        return state;
      }
      if (priority == TaskPriority.REBALANCE && onlyRetainedLeave(object, kept, ctx)) {
        // The copies it would replace are retained: a new one would only add to the pools' use.
        return state;
      }
      // A copy that moves is read from the copy it replaces while that one can be read, so that
      // the pools that keep theirs are not the source of every move (as the preview counts it).
      List<String> leaving = leavingSources(object, kept, ctx);
      int nextLeaving = 0;
      for (String target : missing) {
        if (ctx.availability(target) == PoolAvailability.AVAILABLE) {
          // A copy there that a scrub found wrong looks present to the agent: it must overwrite.
          String type = object.corrupt().contains(target) ? "repair" : "copy";
          groups.copy(
              type,
              nextLeaving < leaving.size() ? leaving.get(nextLeaving++) : source,
              target,
              priority,
              object.key(),
              object.reference().size(),
              RoundQueue.isVoluntary(priority) ? policy.name() : null,
              RoundQueue.isVoluntary(priority) ? policy.movement().priority() : 0,
              retainUntil);
        }
      }
      return state;
    }
    // Every desired copy is good. Copies without a marker are stamped (re-copied from a
    // verified one) so that they can serve as proof; only then may extras go.
    String verifiedSource = object.referenceSha() == null ? null : source;
    if (!unstamped.isEmpty()) {
      if (verifiedSource != null && object.verified(verifiedSource)) {
        for (String target : unstamped) {
          if (ctx.availability(target) == PoolAvailability.AVAILABLE
              && allowed(TaskPriority.REBALANCE, true, shard, ctx)) {
            groups.copy(
                "copy",
                verifiedSource,
                target,
                TaskPriority.REBALANCE,
                object.key(),
                object.reference().size(),
                policy.name(),
                policy.movement().priority(),
                retainUntil);
          }
        }
      }
      return state;
    }
    List<VerifiedCopy> proof = new ArrayList<>();
    for (String pool : desired) {
      proof.add(new VerifiedCopy(pool, object.reference().size(), object.referenceSha()));
    }
    if (proof.size() < required) {
      return state; // The map cannot hold the rule right now: keep every copy.
    }
    for (String pool : object.copies().keySet()) {
      if (kept.contains(pool) || ctx.availability(pool) != PoolAvailability.AVAILABLE) {
        continue;
      }
      if (ctx.isLanding(shard.dataset(), pool)
          && ctx.keepLandingCopies().contains(shard.dataset())) {
        continue;
      }
      if (retained(object, pool, desired, required, ctx).isPresent()) {
        // Its markers keep it, as the agent would find before deleting: it goes once they pass.
        continue;
      }
      TaskPriority priority = extraReason(pool, rule, ctx);
      if (!allowed(priority, windowOpen, shard, ctx)) {
        continue;
      }
      // Held, not planned, while a scan is from an older epoch (see TaskGroups#delete).
      groups.delete(pool, priority, object.key(), proof, required);
    }
    return state;
  }

  /**
   * Why the copy of the object on {@code pool} may not be deleted now by its own markers, as the
   * agent checks them before each deletion: a legal-hold marker (or one that cannot be read), or a
   * {@code strata-retain-until} in force that fewer than {@code required} of the copies that stay
   * ({@code staying}) carry at least as late. A copy's retention keeps the object's data, not the
   * copy where it is: one moved within its phase (a split, a rebalance, a drain) goes once its
   * successors, which carry the same date, are there. Except on a pool that locks its copies in
   * compliance mode: nobody deletes a copy there before its date, so it is pinned until then. Empty
   * when it may go. Planning a deletion the agent would refuse would only plan it again every
   * round.
   */
  private static Optional<String> retained(
      ObjectCopies object, String pool, List<String> staying, int required, PlanContext ctx) {
    ListedObject copy = object.copies().get(pool);
    if (copy == null) {
      return Optional.empty();
    }
    if (compliance(pool, ctx)) {
      // A compliance lock cannot be bypassed: the copy stays until its date, whatever stays.
      return StrataMetadata.protection(copy.metadata(), ctx.now());
    }
    List<Map<String, String>> others = new ArrayList<>();
    for (String other : staying) {
      ListedObject c = object.copies().get(other);
      if (!other.equals(pool) && c != null) {
        others.add(c.metadata());
      }
    }
    return StrataMetadata.keeps(copy.metadata(), others, required, ctx.now());
  }

  /**
   * Whether every copy that placement no longer wants is retained by its markers, and there is at
   * least one: rebalancing it would add a copy and remove none until they pass. A copy retained by
   * its date alone is not: its successor will carry the same date, unless it is on a pool that
   * locks it in compliance mode, where it stays until its date.
   */
  private static boolean onlyRetainedLeave(
      ObjectCopies object, List<String> kept, PlanContext ctx) {
    boolean any = false;
    for (String pool : object.copies().keySet()) {
      if (!kept.contains(pool) && object.good(pool)) {
        ListedObject copy = object.copies().get(pool);
        if (StrataMetadata.protection(copy.metadata(), ctx.now()).isEmpty()
            || (StrataMetadata.retentionInForce(copy.metadata(), ctx.now()).isPresent()
                && !compliance(pool, ctx))) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** Whether {@code pool} locks its copies in compliance mode (see {@link ObjectLock}). */
  private static boolean compliance(String pool, PlanContext ctx) {
    return ctx.map().pool(pool).map(p -> p.objectLock() == ObjectLock.COMPLIANCE).orElse(false);
  }

  /**
   * Whether the object is a fresh upload: its good copies only on landing pools, none stamped by a
   * Strata copy. One with no good copy anywhere (all found wrong) is not: it is at risk.
   */
  private static boolean freshUpload(Shard shard, ObjectCopies object, PlanContext ctx) {
    int counted = 0;
    for (String pool : object.copies().keySet()) {
      if (object.good(pool)) {
        counted++;
        if (!ctx.isLanding(shard.dataset(), pool) || object.verified(pool)) {
          return false;
        }
      }
    }
    return counted > 0;
  }

  /** The verified copies on available pools that placement no longer wants, in pool order. */
  private static List<String> leavingSources(
      ObjectCopies object, List<String> desired, PlanContext ctx) {
    List<String> out = new ArrayList<>();
    for (String pool : new TreeSet<>(object.copies().keySet())) {
      if (!desired.contains(pool)
          && ctx.availability(pool) == PoolAvailability.AVAILABLE
          && object.good(pool)
          && object.verified(pool)) {
        out.add(pool);
      }
    }
    return out;
  }

  /** A verified copy on an available pool if there is one, else any good available copy. */
  private static String bestSource(ObjectCopies object, PlanContext ctx) {
    String fallback = null;
    for (String pool : new TreeSet<>(object.copies().keySet())) {
      if (ctx.availability(pool) != PoolAvailability.AVAILABLE || !object.good(pool)) {
        continue;
      }
      if (object.verified(pool)) {
        return pool;
      }
      fallback = fallback == null ? pool : fallback;
    }
    return fallback;
  }

  private static TaskPriority voluntaryReason(
      ObjectCopies object, PlacementRule rule, List<String> desired, PlanContext ctx) {
    TaskPriority reason = TaskPriority.REBALANCE;
    for (String pool : object.copies().keySet()) {
      if (!desired.contains(pool) && object.good(pool)) {
        TaskPriority r = extraReason(pool, rule, ctx);
        reason = r.ordinal() < reason.ordinal() ? r : reason;
      }
    }
    return reason;
  }

  private static TaskPriority extraReason(String pool, PlacementRule rule, PlanContext ctx) {
    Pool p = ctx.map().pool(pool).orElse(null);
    if (p == null) {
      return TaskPriority.DRAIN;
    }
    DomainState state = ctx.map().effectiveState(p);
    if (state == DomainState.DRAINING || state == DomainState.OUT) {
      return TaskPriority.DRAIN;
    }
    Set<String> tiers = rule.copies().stream().map(TierCopies::tier).collect(Collectors.toSet());
    return tiers.contains(p.tier()) ? TaskPriority.REBALANCE : TaskPriority.TRANSITION;
  }

  /** Pauses and movement windows hold back voluntary movement, never repairs. */
  private static boolean allowed(
      TaskPriority priority, boolean windowOpen, Shard shard, PlanContext ctx) {
    if (priority.ordinal() <= TaskPriority.MISSING_COPY.ordinal()) {
      return true;
    }
    if (ctx.isPaused(shard.dataset())) {
      return false;
    }
    // Ingest and recalls have clocks of their own (a hospital's archive, a visit): no window.
    return priority == TaskPriority.INGEST || priority == TaskPriority.RECALL || windowOpen;
  }

  private static List<ObjectCopies> objects(
      Map<String, PoolScan> scans, Map<String, Set<String>> corrupt, PlanContext ctx) {
    Map<String, Map<String, ListedObject>> byKey = new TreeMap<>();
    for (PoolScan scan : scans.values()) {
      if (ctx.availability(scan.pool()) == PoolAvailability.LOST) {
        continue;
      }
      for (ListedObject o : scan.objects().values()) {
        byKey.computeIfAbsent(o.key(), k -> new LinkedHashMap<>()).put(scan.pool(), o);
      }
    }
    List<ObjectCopies> out = new ArrayList<>(byKey.size());
    for (var e : byKey.entrySet()) {
      Set<String> wrong =
          corrupt.isEmpty() ? Set.of() : wrongCopies(e.getKey(), e.getValue(), corrupt);
      Map<String, Integer> votes = new TreeMap<>();
      for (var copy : e.getValue().entrySet()) {
        ListedObject o = copy.getValue();
        if (o.sha256() != null && !wrong.contains(copy.getKey())) {
          votes.merge(o.sha256().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
      }
      String sha =
          votes.entrySet().stream()
              .max(Map.Entry.comparingByValue())
              .map(Map.Entry::getKey)
              .orElse(null);
      ListedObject reference = null;
      for (var copy : e.getValue().entrySet()) {
        ListedObject o = copy.getValue();
        boolean matches =
            (sha == null || sha.equalsIgnoreCase(o.sha256())) && !wrong.contains(copy.getKey());
        if (matches && (reference == null || tellsMore(o, reference))) {
          reference = o;
        }
      }
      if (reference == null) {
        // Every copy is known wrong: none counts, none is a source, so nothing moves or goes.
        reference = e.getValue().values().iterator().next();
      }
      out.add(new ObjectCopies(e.getKey(), e.getValue(), reference, sha, wrong));
    }
    return out;
  }

  /**
   * Whether a copy tells a policy more than the reference chosen so far: a read DICOM header first
   * (the pool that read it was asked to; another may not have been yet), then more user metadata.
   */
  private static boolean tellsMore(ListedObject o, ListedObject reference) {
    boolean header = o.dicom() != null;
    boolean referenceHeader = reference.dicom() != null;
    if (header != referenceHeader) {
      return header;
    }
    return o.metadata().size() > reference.metadata().size();
  }

  /** The pools whose copy of {@code key} a scrub found wrong. */
  private static Set<String> wrongCopies(
      String key, Map<String, ListedObject> copies, Map<String, Set<String>> corrupt) {
    Set<String> wrong = new TreeSet<>();
    corrupt.forEach(
        (pool, keys) -> {
          if (keys.contains(key) && copies.containsKey(pool)) {
            wrong.add(pool);
          }
        });
    return wrong.isEmpty() ? Set.of() : Set.copyOf(wrong);
  }
}
