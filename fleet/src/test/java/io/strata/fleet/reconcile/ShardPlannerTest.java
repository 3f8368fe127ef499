package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.PolicyLibrary;
import io.strata.policy.evaluate.PolicySet;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.TaskType;
import io.strata.protocol.task.VerifiedCopy;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShardPlannerTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final PolicySet POLICIES =
      PolicySet.of(
          io.strata.policy.parse.PolicyLoader.load(
                  List.of(PolicyLibrary.source("imaging-archive").orElseThrow()), MAP)
              .orThrow());
  private static final Shard SHARD = new Shard("h01-imaging:0", "h01-imaging", KeyRange.ALL);
  private static final String LANDING = "czzl-a-r01-hot";

  /** 02:30 in Shanghai: inside the imaging policy's movement window. */
  private static final Instant NOW = Instant.parse("2026-06-01T18:30:00Z");

  private static final Instant OUTSIDE_WINDOW = Instant.parse("2026-06-01T06:00:00Z");
  private static final String SHA = "a".repeat(64);
  private static final PlacementRule HOT =
      new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));
  private static final PlacementRule WARM_COLD =
      new PlacementRule(
          DomainLevel.SITE,
          List.of(new TierCopies("warm-hdd", 1), new TierCopies("cold-archive", 1)));

  private static List<String> desired(PlacementRule rule) {
    return Placement.place(SHARD.id(), rule, MAP).stream().map(Pool::id).toList();
  }

  private static ListedObject copy(String key, String sha, String studyDate) {
    return new ListedObject(
        key, 1000, NOW.minusSeconds(60), "etag-1", sha, Map.of("study-date", studyDate));
  }

  private static PlanContext context(
      Instant now, Map<String, PoolAvailability> override, Set<String> paused) {
    Map<String, PoolAvailability> availability = new HashMap<>();
    MAP.pools().keySet().forEach(p -> availability.put(p, PoolAvailability.AVAILABLE));
    availability.putAll(override);
    return new PlanContext(
        MAP, POLICIES, availability, Map.of("h01-imaging", Set.of(LANDING)), Set.of(), paused, now);
  }

  /** Scans of every pool at the map's epoch, with {@code holdings} pool -> objects. */
  private static Map<String, PoolScan> scans(Map<String, List<ListedObject>> holdings) {
    return scans(holdings, Map.of());
  }

  /** As {@link #scans(Map)}, the pools in {@code epochs} scanned at the epoch it gives. */
  private static Map<String, PoolScan> scans(
      Map<String, List<ListedObject>> holdings, Map<String, Long> epochs) {
    Map<String, PoolScan> out = new HashMap<>();
    for (String pool : MAP.pools().keySet()) {
      Map<String, ListedObject> objects = new HashMap<>();
      holdings.getOrDefault(pool, List.of()).forEach(o -> objects.put(o.key(), o));
      out.put(pool, new PoolScan(pool, epochs.getOrDefault(pool, MAP.epoch()), NOW, objects));
    }
    return out;
  }

  /** The landing copy is extra; every copy the old phase wants is verified, with {@code sha}. */
  private static Map<String, List<ListedObject>> landingCopyToGo(String sha) {
    Map<String, List<ListedObject>> holdings = new HashMap<>();
    holdings.put(LANDING, List.of(copy("k1", null, "2024-01-10")));
    desired(WARM_COLD).forEach(p -> holdings.put(p, List.of(copy("k1", sha, "2024-01-10"))));
    return holdings;
  }

  @Test
  void noCopyIsDeletedOnScansFromAnOlderEpochAndThoseAreScannedAgain() {
    String older = desired(WARM_COLD).get(0);

    var plan =
        ShardPlanner.plan(
            SHARD,
            scans(landingCopyToGo(SHA), Map.of(older, MAP.epoch() - 1)),
            context(NOW, Map.of(), Set.of()));

    assertThat(plan.tasks()).noneMatch(t -> t.task().type() == TaskType.DELETE_COPY);
    assertThat(plan.rescan()).containsExactly(older);
    assertThat(
            ShardPlanner.plan(SHARD, scans(landingCopyToGo(SHA)), context(NOW, Map.of(), Set.of()))
                .rescan())
        .isEmpty();
  }

  @Test
  void aCopyAScrubFoundWrongIsRepairedAndNeverServesAsProof() {
    List<String> want = desired(WARM_COLD);
    String wrongPool = want.get(0);

    var plan =
        ShardPlanner.plan(
            SHARD,
            scans(landingCopyToGo(SHA)),
            Map.of(wrongPool, Set.of("k1")),
            context(NOW, Map.of(), Set.of()));

    assertThat(plan.tasks()).noneMatch(t -> t.task().type() == TaskType.DELETE_COPY);
    assertThat(plan.tasks())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.task().type()).isEqualTo(TaskType.COPY);
              assertThat(t.task().repair()).isTrue();
              assertThat(t.task().targetPool()).isEqualTo(wrongPool);
              assertThat(t.task().sourcePool()).isEqualTo(want.get(1));
              assertThat(t.task().keys()).containsExactly("k1");
            });
    assertThat(plan.objects()).doesNotContainKey(CopyState.OK);
  }

  @Test
  void anObjectWhoseEveryCopyIsWrongMovesNothing() {
    List<String> want = desired(WARM_COLD);
    Map<String, Set<String>> allWrong = new HashMap<>();
    want.forEach(p -> allWrong.put(p, Set.of("k1")));
    allWrong.put(LANDING, Set.of("k1"));

    var plan =
        ShardPlanner.plan(
            SHARD, scans(landingCopyToGo(SHA)), allWrong, context(NOW, Map.of(), Set.of()));

    assertThat(plan.tasks()).isEmpty();
    assertThat(plan.objects()).containsEntry(CopyState.AT_RISK, 1);
  }

  @Test
  void aDeleteWithAnotherProofIsAnotherTask() {
    var one =
        ShardPlanner.plan(SHARD, scans(landingCopyToGo(SHA)), context(NOW, Map.of(), Set.of()));
    var other =
        ShardPlanner.plan(
            SHARD, scans(landingCopyToGo("b".repeat(64))), context(NOW, Map.of(), Set.of()));

    assertThat(one.tasks())
        .singleElement()
        .extracting(t -> t.task().type())
        .isEqualTo(TaskType.DELETE_COPY);
    assertThat(other.tasks().get(0).task().id()).isNotEqualTo(one.tasks().get(0).task().id());
    assertThat(
            ShardPlanner.plan(SHARD, scans(landingCopyToGo(SHA)), context(NOW, Map.of(), Set.of()))
                .tasks()
                .get(0)
                .task()
                .id())
        .as("the same plan, the same task")
        .isEqualTo(one.tasks().get(0).task().id());
  }

  @Test
  void aNewUploadIsCopiedToEveryDesiredPoolAsIngestAndNothingIsDeleted() {
    String recent = NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(3).toString();
    var plan =
        ShardPlanner.plan(
            SHARD,
            scans(Map.of(LANDING, List.of(copy("k1", null, recent)))),
            context(NOW, Map.of(), Set.of()));
    assertThat(plan.tasks()).allMatch(t -> t.task().type() == TaskType.COPY);
    assertThat(plan.tasks()).allMatch(t -> t.priority() == TaskPriority.INGEST);
    Set<String> targets =
        plan.tasks().stream().map(t -> t.task().targetPool()).collect(Collectors.toSet());
    Set<String> expected = new java.util.HashSet<>(desired(HOT));
    expected.remove(LANDING);
    assertThat(targets).isEqualTo(expected);
    assertThat(plan.objects()).containsEntry(CopyState.UNDER_REPLICATED, 1);
    // Not placed yet: the ingest lag counts from its landing.
    assertThat(plan.landedSince()).isEqualTo(copy("k1", null, recent).lastModified());
  }

  @Test
  void aPlacedObjectIsNoLongerWaitingForIngest() {
    var plan =
        ShardPlanner.plan(SHARD, scans(landingCopyToGo(SHA)), context(NOW, Map.of(), Set.of()));
    assertThat(plan.landedSince()).isNull();
  }

  @Test
  void theLandingCopyIsDeletedOnlyWithProofOfEveryVerifiedCopy() {
    String old = "2024-01-10"; // Past 90 days: warm + cold in two sites.
    List<String> want = desired(WARM_COLD);
    Map<String, List<ListedObject>> holdings = new HashMap<>();
    holdings.put(LANDING, List.of(copy("k1", null, old)));
    want.forEach(p -> holdings.put(p, List.of(copy("k1", SHA, old))));
    var plan = ShardPlanner.plan(SHARD, scans(holdings), context(NOW, Map.of(), Set.of()));
    assertThat(plan.tasks()).hasSize(1);
    var delete = plan.tasks().get(0).task();
    assertThat(delete.type()).isEqualTo(TaskType.DELETE_COPY);
    assertThat(delete.sourcePool()).isEqualTo(LANDING);
    assertThat(delete.proof().requiredCopies()).isEqualTo(2);
    assertThat(delete.proof().epoch()).isEqualTo(MAP.epoch());
    assertThat(delete.proof().copies().get("k1"))
        .extracting(VerifiedCopy::pool)
        .containsExactlyInAnyOrderElementsOf(want);
    assertThat(delete.proof().copies().get("k1")).allMatch(c -> c.sha256().equals(SHA));
  }

  @Test
  void nothingIsDeletedWhileADesiredCopyIsMissing() {
    String old = "2024-01-10";
    List<String> want = desired(WARM_COLD);
    Map<String, List<ListedObject>> holdings = new HashMap<>();
    holdings.put(LANDING, List.of(copy("k1", SHA, old)));
    holdings.put(want.get(0), List.of(copy("k1", SHA, old)));
    var plan = ShardPlanner.plan(SHARD, scans(holdings), context(NOW, Map.of(), Set.of()));
    assertThat(plan.tasks()).extracting(t -> t.task().type()).containsOnly(TaskType.COPY);
    assertThat(plan.tasks().get(0).task().targetPool()).isEqualTo(want.get(1));
  }

  @Test
  void aDesiredCopyWithoutMarkerIsStampedBeforeAnyDeletion() {
    String recent = NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(3).toString();
    List<String> want = desired(HOT);
    Map<String, List<ListedObject>> holdings = new HashMap<>();
    holdings.put(want.get(0), List.of(copy("k1", null, recent)));
    holdings.put(want.get(1), List.of(copy("k1", SHA, recent)));
    String extra =
        MAP.pools().keySet().stream().filter(p -> !want.contains(p)).findFirst().orElseThrow();
    holdings.put(extra, List.of(copy("k1", SHA, recent)));
    var plan = ShardPlanner.plan(SHARD, scans(holdings), context(NOW, Map.of(), Set.of()));
    assertThat(plan.tasks()).hasSize(1);
    assertThat(plan.tasks().get(0).task().type()).isEqualTo(TaskType.COPY);
    assertThat(plan.tasks().get(0).task().targetPool()).isEqualTo(want.get(0));
  }

  @Test
  void aCopyThatMovesIsReadFromTheCopyItReplacesNotFromOneThatStays() {
    String recent = NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(3).toString();
    List<String> want = desired(HOT);
    // A copy that stays, and a hot copy placement no longer wants on a pool that sorts after it:
    // the first in pool order would be the one that stays.
    String[] pair = null;
    for (String s : want) {
      for (Pool p : MAP.pools().values()) {
        if (pair == null
            && p.tier().equals("hot-nvme")
            && !want.contains(p.id())
            && p.id().compareTo(s) > 0) {
          pair = new String[] {s, p.id()};
        }
      }
    }
    assertThat(pair).isNotNull();
    String staying = pair[0];
    String leaving = pair[1];
    String target = want.get(0).equals(staying) ? want.get(1) : want.get(0);
    Map<String, List<ListedObject>> holdings = new HashMap<>();
    holdings.put(staying, List.of(copy("k1", SHA, recent)));
    holdings.put(leaving, List.of(copy("k1", SHA, recent)));

    var plan = ShardPlanner.plan(SHARD, scans(holdings), context(NOW, Map.of(), Set.of()));

    assertThat(plan.tasks())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.task().type()).isEqualTo(TaskType.COPY);
              assertThat(t.task().targetPool()).isEqualTo(target);
              assertThat(t.task().sourcePool()).isEqualTo(leaving);
            });
  }

  @Test
  void copiesOnAPoolInGraceCountAndOnALostPoolAreReplaced() {
    String recent = NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(3).toString();
    List<String> want = desired(HOT);
    Map<String, List<ListedObject>> holdings = new HashMap<>();
    want.forEach(p -> holdings.put(p, List.of(copy("k1", SHA, recent))));
    var inGrace =
        ShardPlanner.plan(
            SHARD,
            scans(holdings),
            context(NOW, Map.of(want.get(0), PoolAvailability.IN_GRACE), Set.of()));
    assertThat(inGrace.tasks()).isEmpty();
    assertThat(inGrace.objects()).containsEntry(CopyState.OK, 1);
    var lost =
        ShardPlanner.plan(
            SHARD,
            scans(holdings),
            context(NOW, Map.of(want.get(0), PoolAvailability.LOST), Set.of()));
    assertThat(lost.objects()).containsEntry(CopyState.AT_RISK, 1);
    // The map still places a copy on the lost pool until the reconciler marks it down: no copy
    // can go there, and nothing is deleted anywhere.
    assertThat(lost.tasks()).noneMatch(t -> t.task().type() == TaskType.DELETE_COPY);
  }

  @Test
  void pausesAndClosedWindowsHoldTransitionsButNotRepairs() {
    String old = "2024-01-10";
    List<String> want = desired(WARM_COLD);
    Map<String, List<ListedObject>> holdings = new HashMap<>();
    holdings.put(LANDING, List.of(copy("k1", SHA, old)));
    holdings.put("czzl-b-r01-hot", List.of(copy("k1", SHA, old)));
    holdings.put(want.get(0), List.of(copy("k1", SHA, old)));
    var paused = ShardPlanner.plan(SHARD, scans(holdings), context(NOW, Map.of(), Set.of("*")));
    assertThat(paused.tasks()).isEmpty();
    var closed =
        ShardPlanner.plan(SHARD, scans(holdings), context(OUTSIDE_WINDOW, Map.of(), Set.of()));
    assertThat(closed.tasks()).isEmpty();
    var open = ShardPlanner.plan(SHARD, scans(holdings), context(NOW, Map.of(), Set.of()));
    assertThat(open.tasks()).extracting(t -> t.priority()).containsOnly(TaskPriority.TRANSITION);

    // One copy left of an object that needs two: repaired even while paused.
    Map<String, List<ListedObject>> single = Map.of(want.get(0), List.of(copy("k2", SHA, old)));
    var repair =
        ShardPlanner.plan(SHARD, scans(single), context(OUTSIDE_WINDOW, Map.of(), Set.of("*")));
    assertThat(repair.tasks())
        .extracting(t -> t.priority())
        .containsOnly(TaskPriority.DATA_AT_RISK);
  }

  @Test
  void planningTwiceGivesTheSameTaskIds() {
    String recent = NOW.atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(3).toString();
    var holdings =
        scans(Map.of(LANDING, List.of(copy("k1", null, recent), copy("k2", null, recent))));
    var first = ShardPlanner.plan(SHARD, holdings, context(NOW, Map.of(), Set.of()));
    var second = ShardPlanner.plan(SHARD, holdings, context(NOW, Map.of(), Set.of()));
    assertThat(first.tasks())
        .extracting(t -> t.task().id())
        .isNotEmpty()
        .containsExactlyElementsOf(second.tasks().stream().map(t -> t.task().id()).toList());
  }
}
