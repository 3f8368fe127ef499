package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.evaluate.PolicySet;
import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskType;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.ObjectLock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The retain-until each copy Strata writes carries (the end of the phase it is written for, or of
 * the retention), and the deletions the planner leaves to the markers' end.
 */
class RetentionPlanningTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final PolicySet POLICIES = CtPolicy.with("");
  private static final Shard SHARD = new Shard("h01-imaging:0", "h01-imaging", KeyRange.ALL);
  private static final String LANDING = "czzl-a-r01-hot";
  private static final Instant NOW = Instant.parse("2026-06-01T18:30:00Z");
  private static final List<String> HOT = CtPolicy.placed(SHARD, CtPolicy.HOT);
  private static final List<String> WARM_COLD = CtPolicy.placed(SHARD, CtPolicy.WARM_COLD);

  /** Midnight of a day in Shanghai, the policy's zone. */
  private static Instant shanghai(String date) {
    return OffsetDateTime.parse(date + "T00:00+08:00").toInstant();
  }

  private static DicomHeader ct(String study, String studyDate) {
    return new DicomHeader(
        DicomHeader.Kind.DICOM, study, study + ".1", studyDate, "CT", "ab".repeat(16), null);
  }

  private static ListedObject object(String key, DicomHeader header, Map<String, String> meta) {
    return new ListedObject(key, 1000, NOW.minusSeconds(60), "etag-" + key, null, meta, header);
  }

  private static ListedObject stamped(String key, DicomHeader header, Map<String, String> meta) {
    return new ListedObject(
        key, 1000, NOW.minusSeconds(60), "etag-" + key, "sha-" + key, meta, header);
  }

  private static ShardPlan plan(Map<String, List<ListedObject>> byPool) {
    return plan(byPool, MAP);
  }

  private static ShardPlan plan(Map<String, List<ListedObject>> byPool, ClusterMap map) {
    Map<String, PoolScan> scans = new HashMap<>();
    Map<String, PoolAvailability> availability = new HashMap<>();
    for (String pool : MAP.pools().keySet()) {
      Map<String, ListedObject> objects = new HashMap<>();
      byPool.getOrDefault(pool, List.of()).forEach(o -> objects.put(o.key(), o));
      scans.put(pool, new PoolScan(pool, map.epoch(), NOW, objects));
      availability.put(pool, PoolAvailability.AVAILABLE);
    }
    PlanContext ctx =
        new PlanContext(
            map,
            POLICIES,
            availability,
            Map.of("h01-imaging", Set.of(LANDING)),
            Set.of(),
            Set.of(),
            NOW);
    return ShardPlanner.plan(SHARD, scans, ctx);
  }

  /** Target pool to key to the retain-until its copy carries (keys without one are left out). */
  private static Map<String, Map<String, Instant>> retainUntil(ShardPlan plan) {
    Map<String, Map<String, Instant>> out = new TreeMap<>();
    for (PlannedTask t : plan.tasks()) {
      Task task = t.task();
      if (task.type() == TaskType.COPY) {
        Map<String, Instant> dates = out.computeIfAbsent(task.targetPool(), p -> new TreeMap<>());
        if (task.retainUntil() != null) {
          dates.putAll(task.retainUntil().byKey(task.keys()));
        }
      }
    }
    return out;
  }

  private static List<String> deletedFrom(ShardPlan plan) {
    return plan.tasks().stream()
        .filter(t -> t.task().type() == TaskType.DELETE_COPY)
        .map(t -> t.task().sourcePool())
        .sorted()
        .toList();
  }

  @Test
  void copiesOfAStudyInItsHotPhaseAreRetainedUntilThatPhaseEnds() {
    ShardPlan plan =
        plan(Map.of(LANDING, List.of(object("s1/i1.dcm", ct("1.2.1", "20260520"), Map.of()))));

    Map<String, Map<String, Instant>> dates = retainUntil(plan);
    assertThat(dates).isNotEmpty();
    dates.forEach(
        (pool, byKey) -> {
          assertThat(HOT).contains(pool);
          assertThat(byKey).containsExactly(Map.entry("s1/i1.dcm", shanghai("2026-08-18")));
        });
  }

  @Test
  void copiesOfTheLastPhaseCarryTheEndOfTheRetention() {
    ShardPlan plan =
        plan(Map.of(LANDING, List.of(object("s1/i1.dcm", ct("1.2.1", "20190304"), Map.of()))));

    Map<String, Map<String, Instant>> dates = retainUntil(plan);
    assertThat(dates.keySet()).containsExactlyInAnyOrderElementsOf(WARM_COLD);
    dates
        .values()
        .forEach(
            byKey ->
                assertThat(byKey).containsExactly(Map.entry("s1/i1.dcm", shanghai("2049-03-04"))));
  }

  @Test
  void aStudyWithoutItsDateIsCopiedWithoutADateAndTheOthersOfTheTaskWithTheirs() {
    ShardPlan plan =
        plan(
            Map.of(
                LANDING,
                List.of(
                    object("s1/i1.dcm", ct("1.2.1", "20260520"), Map.of()),
                    object("s2/i1.dcm", ct("1.2.2", null), Map.of()),
                    object("s3/i1.dcm", ct("1.2.3", "20260521"), Map.of()))));

    for (PlannedTask t : plan.tasks()) {
      Task task = t.task();
      assertThat(task.keys()).containsExactly("s1/i1.dcm", "s2/i1.dcm", "s3/i1.dcm");
      assertThat(task.retainUntil().runs()).hasSize(3);
      assertThat(task.retainUntil().byKey(task.keys()))
          .containsOnly(
              Map.entry("s1/i1.dcm", shanghai("2026-08-18")),
              Map.entry("s3/i1.dcm", shanghai("2026-08-19")));
    }
  }

  @Test
  void anExtraCopyIsDeletedOnlyOnceItsMarkerHasPassed() {
    DicomHeader old = ct("1.2.1", "20190304");
    Map<String, String> retained = Map.of("strata-retain-until", "2026-06-02T00:00:00Z");
    Map<String, String> passed = Map.of("strata-retain-until", "2026-06-01T00:00:00Z");
    Map<String, List<ListedObject>> byPool = new HashMap<>();
    WARM_COLD.forEach(p -> byPool.put(p, List.of(stamped("s1/i1.dcm", old, Map.of()))));
    String hot = HOT.get(0);

    byPool.put(hot, List.of(stamped("s1/i1.dcm", old, retained)));
    ShardPlan kept = plan(byPool);
    assertThat(deletedFrom(kept)).isEmpty();
    assertThat(kept.tasks()).isEmpty();
    assertThat(kept.worst()).isEqualTo(CopyState.MISPLACED);

    byPool.put(hot, List.of(stamped("s1/i1.dcm", old, passed)));
    assertThat(deletedFrom(plan(byPool))).containsExactly(hot);

    byPool.put(hot, List.of(stamped("s1/i1.dcm", old, Map.of("strata-legal-hold", "true"))));
    assertThat(deletedFrom(plan(byPool))).isEmpty();
  }

  @Test
  void aRetainedCopyMovedWithinItsPhaseGoesOnceTheCopiesThatStayCarryItsDate() {
    DicomHeader old = ct("1.2.1", "20190304");
    Map<String, String> until2049 = Map.of("strata-retain-until", "2049-03-03T16:00:00Z");
    Map<String, String> until2030 = Map.of("strata-retain-until", "2030-01-01T00:00:00Z");
    String elsewhere =
        MAP.pools().values().stream()
            .filter(p -> p.tier().equals("cold-archive") && !WARM_COLD.contains(p.id()))
            .map(io.strata.topology.Pool::id)
            .findFirst()
            .orElseThrow();
    Map<String, List<ListedObject>> byPool = new HashMap<>();
    byPool.put(elsewhere, List.of(stamped("s1/i1.dcm", old, until2049)));

    WARM_COLD.forEach(p -> byPool.put(p, List.of(stamped("s1/i1.dcm", old, until2030))));
    assertThat(deletedFrom(plan(byPool))).isEmpty();

    WARM_COLD.forEach(p -> byPool.put(p, List.of(stamped("s1/i1.dcm", old, until2049))));
    assertThat(deletedFrom(plan(byPool))).containsExactly(elsewhere);
  }

  @Test
  void aRetainedCopyOnACompliancePoolStaysUntilItsDateWhateverTheCopiesThatStayCarry() {
    DicomHeader old = ct("1.2.1", "20190304");
    Map<String, String> until2049 = Map.of("strata-retain-until", "2049-03-03T16:00:00Z");
    io.strata.topology.Pool elsewhere =
        MAP.pools().values().stream()
            .filter(p -> p.tier().equals("cold-archive") && !WARM_COLD.contains(p.id()))
            .findFirst()
            .orElseThrow();
    Map<String, List<ListedObject>> byPool = new HashMap<>();
    byPool.put(elsewhere.id(), List.of(stamped("s1/i1.dcm", old, until2049)));
    WARM_COLD.forEach(p -> byPool.put(p, List.of(stamped("s1/i1.dcm", old, until2049))));
    ClusterMap locked =
        MAP.withPool(
            new io.strata.topology.Pool(
                elsewhere.id(),
                elsewhere.domain(),
                elsewhere.tier(),
                elsewhere.endpoint(),
                elsewhere.capacityBytes(),
                elsewhere.credentialsRef(),
                elsewhere.state(),
                elsewhere.weight(),
                ObjectLock.COMPLIANCE));

    ShardPlan pinned = plan(byPool, locked);
    assertThat(deletedFrom(pinned)).isEmpty();
    assertThat(pinned.worst()).isEqualTo(CopyState.MISPLACED);

    ShardPlan governed =
        plan(
            byPool,
            MAP.withPool(
                new io.strata.topology.Pool(
                    elsewhere.id(),
                    elsewhere.domain(),
                    elsewhere.tier(),
                    elsewhere.endpoint(),
                    elsewhere.capacityBytes(),
                    elsewhere.credentialsRef(),
                    elsewhere.state(),
                    elsewhere.weight(),
                    ObjectLock.GOVERNANCE)));
    assertThat(deletedFrom(governed)).containsExactly(elsewhere.id());

    Map<String, String> passed = Map.of("strata-retain-until", "2026-06-01T00:00:00Z");
    byPool.put(elsewhere.id(), List.of(stamped("s1/i1.dcm", old, passed)));
    assertThat(deletedFrom(plan(byPool, locked))).containsExactly(elsewhere.id());
  }
}
