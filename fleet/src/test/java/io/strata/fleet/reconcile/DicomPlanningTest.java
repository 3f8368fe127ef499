package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicySource;
import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.TaskType;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.Pool;
import io.strata.topology.placement.Placement;
import io.strata.topology.placement.PlacementRule;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Policies that select on the DICOM Modality and count age from the DICOM StudyDate, planned from
 * what the agents read of the headers, with no gateway metadata on the objects.
 */
class DicomPlanningTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final PolicySet POLICIES =
      CtPolicy.with(
          "",
          new PolicySource(
              "other.yaml",
              """
              policy: other-studies
              datasets: ["*-imaging"]
              select: {dicom.modality: [MR, CR, US]}
              recordClass: inpatient
              age: {from: dicom}
              phases:
                0d: warm-hdd + cold-archive spread site
              retention: {minimum: 30y}
              """));
  private static final Shard SHARD = new Shard("h01-imaging:0", "h01-imaging", KeyRange.ALL);
  private static final String LANDING = "czzl-a-r01-hot";
  private static final Instant NOW = Instant.parse("2026-06-01T18:30:00Z");
  private static final PlacementRule HOT = CtPolicy.HOT;
  private static final PlacementRule WARM_COLD = CtPolicy.WARM_COLD;

  private static ListedObject landed(String key, DicomHeader header, Map<String, String> meta) {
    return new ListedObject(key, 1000, NOW.minusSeconds(60), "etag-" + key, null, meta, header);
  }

  /** An instance of a study of its own. */
  private static DicomHeader dicom(String modality, String studyDate) {
    return dicom("1.2." + Math.abs((modality + studyDate).hashCode()), modality, studyDate);
  }

  private static DicomHeader dicom(String study, String modality, String studyDate) {
    return new DicomHeader(
        DicomHeader.Kind.DICOM, study, study + ".1", studyDate, modality, "ab".repeat(16), null);
  }

  /** Target pool to the keys copied there, from the landing pool's objects alone. */
  private static Map<String, Set<String>> copiesOf(List<ListedObject> landing) {
    Map<String, PoolScan> scans = new HashMap<>();
    for (String pool : MAP.pools().keySet()) {
      Map<String, ListedObject> objects = new HashMap<>();
      if (pool.equals(LANDING)) {
        landing.forEach(o -> objects.put(o.key(), o));
      }
      scans.put(pool, new PoolScan(pool, MAP.epoch(), NOW, objects));
    }
    Map<String, PoolAvailability> availability = new HashMap<>();
    MAP.pools().keySet().forEach(p -> availability.put(p, PoolAvailability.AVAILABLE));
    PlanContext ctx =
        new PlanContext(
            MAP,
            POLICIES,
            availability,
            Map.of("h01-imaging", Set.of(LANDING)),
            Set.of(),
            Set.of(),
            NOW);
    Map<String, Set<String>> out = new HashMap<>();
    for (var t : ShardPlanner.plan(SHARD, scans, ctx).tasks()) {
      if (t.task().type() == TaskType.COPY) {
        out.computeIfAbsent(t.task().targetPool(), p -> new TreeSet<>()).addAll(t.task().keys());
      }
    }
    return out;
  }

  /** The pools the rule places the shard on, but the landing pool, whose copy is there. */
  private static List<String> desired(PlacementRule rule) {
    return Placement.place(SHARD.id(), rule, MAP).stream()
        .map(Pool::id)
        .filter(p -> !p.equals(LANDING))
        .toList();
  }

  @Test
  void modalityAndStudyDateFromTheHeaderPlaceEachStudy() {
    assertThat(desired(HOT)).isNotEmpty();
    assertThat(desired(WARM_COLD)).isNotEmpty();
    Map<String, Set<String>> copies =
        copiesOf(
            List.of(
                landed("ct-recent", dicom("CT", "20260520"), Map.of()),
                landed("ct-old", dicom("CT", "20190304"), Map.of()),
                landed("mr-recent", dicom("MR", "20260520"), Map.of())));

    for (String hot : desired(HOT)) {
      assertThat(copies.get(hot))
          .as(hot)
          .contains("ct-recent")
          .doesNotContain("ct-old", "mr-recent");
    }
    for (String warmCold : desired(WARM_COLD)) {
      assertThat(copies.get(warmCold)).as(warmCold).contains("ct-old", "mr-recent");
    }
  }

  @Test
  void aMissingOrMalformedStudyDateCountsFromLastModifiedSoTheStudyStaysHot() {
    Map<String, Set<String>> copies =
        copiesOf(
            List.of(
                landed("ct-undated", dicom("CT", null), Map.of()),
                landed("ct-baddate", dicom("CT", "2019-3-4x"), Map.of())));

    for (String hot : desired(HOT)) {
      assertThat(copies.get(hot)).as(hot).containsExactly("ct-baddate", "ct-undated");
    }
  }

  @Test
  void objectsThatAreNoDicomOrCorruptOrClaimAModalityInMetadataAreLeftWhereTheyAre() {
    Map<String, Set<String>> copies =
        copiesOf(
            List.of(
                landed("report.pdf", DicomHeader.notDicom("no DICM prefix"), Map.of()),
                landed("cut.dcm", DicomHeader.corrupt("cut short"), Map.of()),
                landed(
                    "forged",
                    DicomHeader.notDicom("no DICM prefix"),
                    Map.of("dicom.modality", "CT", "dicom.study-date", "20260520")),
                landed("unread", null, Map.of())));

    assertThat(copies).isEmpty();
  }

  @Test
  void theInstancesOfAStudyArePlacedAsOneByTheStudysDateAndModality() {
    // A 2019 CT study: two instances dated, one whose date is missing, one whose is malformed,
    // and its dose report (modality SR, which no policy selects alone); and a recent CT study.
    Map<String, Set<String>> copies =
        copiesOf(
            List.of(
                landed("s1/i1", dicom("1.9.1", "CT", "20190304"), Map.of()),
                landed("s1/i2", dicom("1.9.1", "CT", "20190304"), Map.of()),
                landed("s1/i3", dicom("1.9.1", "CT", null), Map.of()),
                landed("s1/i4", dicom("1.9.1", "CT", "2019-3-4x"), Map.of()),
                landed("s1/sr", dicom("1.9.1", "SR", "20190304"), Map.of()),
                landed("s2/i1", dicom("1.9.2", "CT", "20260520"), Map.of())));

    for (String warmCold : desired(WARM_COLD)) {
      assertThat(copies.get(warmCold))
          .as(warmCold)
          .containsExactly("s1/i1", "s1/i2", "s1/i3", "s1/i4", "s1/sr");
    }
    for (String hot : desired(HOT)) {
      assertThat(copies.get(hot)).as(hot).containsExactly("s2/i1");
    }
  }
}
