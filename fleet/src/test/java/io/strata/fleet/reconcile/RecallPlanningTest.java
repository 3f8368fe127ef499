package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.recall.Recall;
import io.strata.fleet.recall.RecallProgress;
import io.strata.policy.evaluate.PolicySet;
import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.TaskType;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Recalled studies: a copy of each object a recall names comes back to the hot tier at the recall
 * priority, beside the copies of its phase, and goes again once no recall holds it.
 */
class RecallPlanningTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final PolicySet POLICIES = CtPolicy.with("");
  private static final String DATASET = "h01-imaging";
  private static final Shard SHARD = new Shard(DATASET + ":0", DATASET, KeyRange.ALL);
  private static final Instant NOW = Instant.parse("2026-06-01T18:30:00Z");
  private static final String PATIENT = "ab".repeat(16);
  private static final List<String> WARM_COLD = CtPolicy.placed(SHARD, CtPolicy.WARM_COLD);
  private static final String HOT =
      Placement.place(
              SHARD.id(),
              new PlacementRule(DomainLevel.NODE, List.of(new TierCopies("hot-nvme", 1))),
              MAP)
          .get(0)
          .id();

  private static ListedObject instance(String key, String study, String patient) {
    DicomHeader header =
        new DicomHeader(
            DicomHeader.Kind.DICOM, study, study + ".1", "20190304", "CT", patient, null);
    return new ListedObject(
        key, 1000, NOW.minusSeconds(60), "etag-" + key, "sha-" + key, Map.of(), header);
  }

  private static final List<ListedObject> OBJECTS =
      List.of(
          instance("s1/i1.dcm", "1.2.3", PATIENT),
          instance("s1/i2.dcm", "1.2.3", PATIENT),
          instance("s2/i1.dcm", "4.5.6", "cd".repeat(16)));

  private static Recall study(String uid) {
    return new Recall(
        "recall-1",
        null,
        uid,
        null,
        null,
        NOW.plus(Duration.ofHours(2)),
        NOW.plus(Duration.ofDays(14)),
        NOW,
        "operator");
  }

  /** Plans the shard with every object on the pools of its phase, and those of {@code hot}. */
  private static ShardPlan plan(Set<String> onHot, List<Recall> recalls) {
    Map<String, PoolScan> scans = new HashMap<>();
    for (String pool : MAP.pools().keySet()) {
      Map<String, ListedObject> objects = new HashMap<>();
      for (ListedObject o : OBJECTS) {
        if (WARM_COLD.contains(pool) || (pool.equals(HOT) && onHot.contains(o.key()))) {
          objects.put(o.key(), o);
        }
      }
      scans.put(pool, new PoolScan(pool, MAP.epoch(), NOW, objects));
    }
    Map<String, PoolAvailability> availability = new HashMap<>();
    MAP.pools().keySet().forEach(p -> availability.put(p, PoolAvailability.AVAILABLE));
    PlanContext ctx =
        new PlanContext(MAP, POLICIES, availability, Map.of(), Set.of(), Set.of(), NOW, recalls);
    return ShardPlanner.plan(SHARD, scans, ctx);
  }

  private static Map<String, Set<String>> keys(ShardPlan plan, TaskType type) {
    Map<String, Set<String>> out = new HashMap<>();
    for (PlannedTask t : plan.tasks()) {
      if (t.task().type() == type) {
        String pool = type == TaskType.COPY ? t.task().targetPool() : t.task().sourcePool();
        out.computeIfAbsent(pool, p -> new TreeSet<>()).addAll(t.task().keys());
      }
    }
    return out;
  }

  @Test
  void aRecalledStudyComesBackToTheHotTierAtRecallPriority() {
    assertThat(MAP.pool(HOT).orElseThrow().tier()).isEqualTo("hot-nvme");
    ShardPlan plan = plan(Set.of(), List.of(study("1.2.3")));

    assertThat(keys(plan, TaskType.COPY)).containsOnlyKeys(HOT);
    assertThat(keys(plan, TaskType.COPY).get(HOT)).containsExactly("s1/i1.dcm", "s1/i2.dcm");
    assertThat(plan.tasks()).allMatch(t -> t.priority() == TaskPriority.RECALL);
    assertThat(plan.recalls()).containsEntry("recall-1", new RecallProgress(2, 2000, 0, 0));
    assertThat(keys(plan, TaskType.DELETE_COPY)).isEmpty();
  }

  @Test
  void theHotCopyIsKeptWhileTheRecallHoldsAndGoesAfter() {
    Set<String> onHot = Set.of("s1/i1.dcm", "s1/i2.dcm");
    ShardPlan held = plan(onHot, List.of(study("1.2.3")));
    assertThat(held.tasks()).isEmpty();
    assertThat(held.recalls()).containsEntry("recall-1", new RecallProgress(2, 2000, 2, 2000));

    ShardPlan returned = plan(onHot, List.of());
    assertThat(keys(returned, TaskType.DELETE_COPY)).containsOnlyKeys(HOT);
    assertThat(keys(returned, TaskType.DELETE_COPY).get(HOT))
        .containsExactly("s1/i1.dcm", "s1/i2.dcm");
    assertThat(returned.tasks()).allMatch(t -> t.priority() == TaskPriority.TRANSITION);
    assertThat(returned.recalls()).isEmpty();
  }

  @Test
  void aPatientsStudiesAndAKeyPrefixAreRecalledByWhatTheyName() {
    Recall patient =
        new Recall(
            "by-patient",
            DATASET,
            null,
            PATIENT.toUpperCase(java.util.Locale.ROOT),
            null,
            NOW.plusSeconds(60),
            NOW.plus(Duration.ofDays(1)),
            NOW,
            "operator");
    Recall prefix =
        new Recall(
            "by-prefix",
            DATASET,
            null,
            null,
            "s2/",
            NOW.plusSeconds(60),
            NOW.plus(Duration.ofDays(1)),
            NOW,
            "operator");
    Recall elsewhere =
        new Recall(
            "other-dataset",
            "h02-imaging",
            null,
            null,
            "s",
            NOW.plusSeconds(60),
            NOW.plus(Duration.ofDays(1)),
            NOW,
            "operator");
    ShardPlan plan = plan(Set.of(), List.of(patient, prefix, elsewhere));

    assertThat(keys(plan, TaskType.COPY).get(HOT))
        .containsExactly("s1/i1.dcm", "s1/i2.dcm", "s2/i1.dcm");
    assertThat(plan.recalls())
        .containsOnlyKeys("by-patient", "by-prefix")
        .containsEntry("by-patient", new RecallProgress(2, 2000, 0, 0))
        .containsEntry("by-prefix", new RecallProgress(1, 1000, 0, 0));
  }

  @Test
  void aRecallOfAStudyThatNoObjectBelongsToChangesNothing() {
    ShardPlan plan = plan(Set.of(), List.of(study("no-such-study")));
    assertThat(plan.tasks()).isEmpty();
    assertThat(plan.recalls()).isEmpty();
  }
}
