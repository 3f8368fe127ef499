package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.capacity.AgeProfile;
import io.strata.fleet.expiry.Due;
import io.strata.fleet.expiry.Expiry;
import io.strata.fleet.expiry.ExpiryProgress;
import io.strata.fleet.expiry.LegalHold;
import io.strata.policy.evaluate.PolicySet;
import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.TaskType;
import io.strata.protocol.task.VerifiedCopy;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Data past its policy's expiry: nothing is deleted until an expiry covering it is approved; then
 * every copy goes in one plan, unless a legal hold names the object or a copy cannot be accounted
 * for, and never an object written after the approval.
 */
class ExpiryPlanningTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final PolicySet POLICIES = CtPolicy.with("expiry: 31y\n");
  private static final String DATASET = "h01-imaging";
  private static final Shard SHARD = new Shard(DATASET + ":0", DATASET, KeyRange.ALL);
  private static final Instant NOW = Instant.parse("2026-06-01T18:30:00Z");
  private static final Instant APPROVED = NOW.minusSeconds(3600);
  private static final Instant WRITTEN = Instant.parse("2024-01-01T00:00:00Z");
  private static final List<String> WARM_COLD = CtPolicy.placed(SHARD, CtPolicy.WARM_COLD);

  /** A CT instance of {@code study}, taken on {@code date}. */
  private static ListedObject instance(String key, String study, String date, Instant written) {
    DicomHeader header =
        new DicomHeader(DicomHeader.Kind.DICOM, study, study + ".1", date, "CT", null, null);
    return new ListedObject(key, 1000, written, "etag-" + key, "sha-" + key, Map.of(), header);
  }

  /** Two 1990 studies (expired in 2021) and one from 2019 (not expired). */
  private static final List<ListedObject> OBJECTS =
      List.of(
          instance("s1/i1.dcm", "1.2.3", "19900304", WRITTEN),
          instance("s1/i2.dcm", "1.2.3", "19900304", WRITTEN),
          instance("s2/i1.dcm", "4.5.6", "19900611", WRITTEN),
          instance("s3/i1.dcm", "7.8.9", "20190304", WRITTEN));

  private static final Expiry APPROVAL =
      new Expiry(
          "expiry-1",
          DATASET,
          "ct-studies",
          APPROVED,
          APPROVED,
          "records-officer",
          "inpatient records, 30 years",
          "committee 2026-05");

  private static ShardPlan plan(
      List<ListedObject> objects,
      List<Expiry> expiries,
      List<LegalHold> holds,
      Map<String, PoolAvailability> changed,
      long scanEpoch,
      String... unscanned) {
    Map<String, PoolScan> scans = new HashMap<>();
    Map<String, PoolAvailability> availability = new HashMap<>();
    for (String pool : MAP.pools().keySet()) {
      availability.put(pool, changed.getOrDefault(pool, PoolAvailability.AVAILABLE));
      Map<String, ListedObject> held = new HashMap<>();
      if (WARM_COLD.contains(pool)) {
        objects.forEach(o -> held.put(o.key(), o));
      }
      if (!List.of(unscanned).contains(pool)) {
        scans.put(pool, new PoolScan(pool, scanEpoch, NOW, held));
      }
    }
    PlanContext ctx =
        new PlanContext(
            MAP,
            POLICIES,
            availability,
            Map.of(),
            Set.of(),
            Set.of(),
            NOW,
            List.of(),
            expiries,
            holds);
    return ShardPlanner.plan(SHARD, scans, ctx);
  }

  private static ShardPlan plan(List<Expiry> expiries, List<LegalHold> holds) {
    return plan(OBJECTS, expiries, holds, Map.of(), MAP.epoch());
  }

  private static Map<String, Set<String>> deleted(ShardPlan plan) {
    Map<String, Set<String>> out = new HashMap<>();
    for (PlannedTask t : plan.tasks()) {
      if (t.task().type() == TaskType.DELETE_COPY) {
        out.computeIfAbsent(t.task().sourcePool(), p -> new TreeSet<>()).addAll(t.task().keys());
      }
    }
    return out;
  }

  @Test
  void expiredDataIsOnlyReportedDueUntilAnExpiryIsApproved() {
    ShardPlan plan = plan(List.of(), List.of());

    assertThat(plan.tasks()).isEmpty();
    assertThat(plan.expiries()).isEmpty();
    // Three objects of two copies each past expiry; the 2019 study is not.
    assertThat(plan.due())
        .containsExactly(
            Map.entry(new Due(DATASET, "ct-studies"), new ExpiryProgress(3, 3000, 6, 0, 0)));
  }

  @Test
  void anApprovedExpiryDeletesEveryCopyOfWhatItCoversAndNothingElse() {
    ShardPlan plan = plan(List.of(APPROVAL), List.of());

    Set<String> expired = Set.of("s1/i1.dcm", "s1/i2.dcm", "s2/i1.dcm");
    assertThat(deleted(plan)).containsOnlyKeys(WARM_COLD);
    WARM_COLD.forEach(pool -> assertThat(deleted(plan).get(pool)).isEqualTo(expired));
    for (PlannedTask t : plan.tasks()) {
      assertThat(t.priority()).isEqualTo(TaskPriority.EXPIRY);
      assertThat(t.task().proof().expiry()).isEqualTo("expiry-1");
      assertThat(t.task().proof().requiredCopies()).isZero();
      // Each key names the copy being deleted, as the plan saw it, and no other.
      t.task()
          .proof()
          .copies()
          .forEach(
              (key, copies) ->
                  assertThat(copies)
                      .containsExactly(
                          new VerifiedCopy(t.task().sourcePool(), 1000, "sha-" + key)));
    }
    assertThat(plan.expiries())
        .containsExactly(Map.entry("expiry-1", new ExpiryProgress(3, 3000, 6, 0, 0)));
    assertThat(plan.due()).isEmpty();
  }

  @Test
  void aLegalHoldKeepsWhatItNamesAndTheRestGoes() {
    LegalHold study = new LegalHold("hold-1", null, "1.2.3", null, null, "case 17", NOW, "counsel");
    ShardPlan plan = plan(List.of(APPROVAL), List.of(study));

    WARM_COLD.forEach(pool -> assertThat(deleted(plan).get(pool)).containsExactly("s2/i1.dcm"));
    assertThat(plan.expiries())
        .containsExactly(Map.entry("expiry-1", new ExpiryProgress(3, 3000, 2, 2, 0)));

    LegalHold dataset = new LegalHold("hold-2", DATASET, null, null, null, "audit", NOW, "counsel");
    ShardPlan none = plan(List.of(APPROVAL), List.of(dataset));
    assertThat(deleted(none)).isEmpty();
    assertThat(plan(List.of(), List.of(dataset)).due())
        .containsEntry(new Due(DATASET, "ct-studies"), new ExpiryProgress(3, 3000, 0, 3, 0));
  }

  @Test
  void nothingIsDeletedWhileACopyCannotBeAccountedFor() {
    // A pool in its grace period may hold copies nobody can read or delete now.
    String other =
        MAP.pools().keySet().stream().filter(p -> !WARM_COLD.contains(p)).findFirst().orElseThrow();
    Map<String, PoolAvailability> grace = new HashMap<>();
    MAP.pools().keySet().forEach(p -> grace.put(p, PoolAvailability.AVAILABLE));
    grace.put(WARM_COLD.get(0), PoolAvailability.IN_GRACE);
    ShardPlan onGrace = plan(OBJECTS, List.of(APPROVAL), List.of(), grace, MAP.epoch());
    assertThat(deleted(onGrace)).isEmpty();
    assertThat(onGrace.expiries())
        .containsExactly(Map.entry("expiry-1", new ExpiryProgress(3, 3000, 0, 0, 3)));

    // A scan from an older map: the deletions wait for a current one, as every deletion does.
    ShardPlan older = plan(OBJECTS, List.of(APPROVAL), List.of(), Map.of(), MAP.epoch() - 1);
    assertThat(deleted(older)).isEmpty();
    assertThat(older.rescan()).isNotEmpty();
    assertThat(older.expiries())
        .containsExactly(Map.entry("expiry-1", new ExpiryProgress(3, 3000, 0, 0, 3)));

    // A pool in grace whose listing of the shard the plan lacks may hold a copy nobody has seen.
    Map<String, PoolAvailability> unseen = new HashMap<>(grace);
    unseen.put(WARM_COLD.get(0), PoolAvailability.AVAILABLE);
    unseen.put(other, PoolAvailability.IN_GRACE);
    ShardPlan lacking = plan(OBJECTS, List.of(APPROVAL), List.of(), unseen, MAP.epoch(), other);
    assertThat(deleted(lacking)).isEmpty();
  }

  /** {@code object} with user metadata {@code key: value}, as a scan that HEADs it lists it. */
  private static ListedObject marked(ListedObject object, String key, String value) {
    return new ListedObject(
        object.key(),
        object.size(),
        object.lastModified(),
        object.etag(),
        object.sha256(),
        Map.of(key, value),
        object.dicom());
  }

  @Test
  void anObjectWhoseCopiesAMarkerStillRetainsWaitsAndNoneOfItsCopiesGoes() {
    List<ListedObject> objects =
        List.of(
            marked(OBJECTS.get(0), "strata-retain-until", "2026-06-02T00:00:00Z"),
            OBJECTS.get(1),
            marked(OBJECTS.get(2), "strata-retain-until", "2026-06-01T00:00:00Z"),
            OBJECTS.get(3));
    ShardPlan plan = plan(objects, List.of(APPROVAL), List.of(), Map.of(), MAP.epoch());

    // s1/i1.dcm's copies are retained until tomorrow; s2/i1.dcm's marker has passed.
    WARM_COLD.forEach(
        pool -> assertThat(deleted(plan).get(pool)).containsExactly("s1/i2.dcm", "s2/i1.dcm"));
    assertThat(plan.expiries())
        .containsExactly(Map.entry("expiry-1", new ExpiryProgress(3, 3000, 4, 0, 1)));
  }

  @Test
  void aLegalHoldMarkerOnACopyHoldsTheObject() {
    List<ListedObject> objects =
        List.of(marked(OBJECTS.get(0), "strata-legal-hold", "ON"), OBJECTS.get(3));
    ShardPlan plan = plan(objects, List.of(APPROVAL), List.of(), Map.of(), MAP.epoch());

    assertThat(deleted(plan)).isEmpty();
    assertThat(plan.expiries())
        .containsExactly(Map.entry("expiry-1", new ExpiryProgress(1, 1000, 0, 1, 0)));
  }

  @Test
  void anObjectWrittenAfterTheApprovalIsNotCoveredHoweverOldItsStudy() {
    ListedObject late = instance("s4/i1.dcm", "9.9.9", "19800101", APPROVED.plusSeconds(60));
    ShardPlan plan = plan(List.of(late), List.of(APPROVAL), List.of(), Map.of(), MAP.epoch());

    assertThat(deleted(plan)).isEmpty();
    assertThat(plan.due())
        .containsEntry(new Due(DATASET, "ct-studies"), new ExpiryProgress(1, 1000, 2, 0, 0));
  }

  @Test
  void anExpiryOfAnotherPolicyOrDatasetOrLaterCutoffCoversNothingHere() {
    Expiry otherPolicy = new Expiry("e2", DATASET, "mr-studies", APPROVED, APPROVED, "r", "b", "x");
    Expiry otherDataset =
        new Expiry("e3", "h02-imaging", "ct-studies", APPROVED, APPROVED, "r", "b", "x");
    Expiry beforeExpiry =
        new Expiry(
            "e4",
            DATASET,
            "ct-studies",
            Instant.parse("2020-01-01T00:00:00Z"),
            APPROVED,
            "r",
            "b",
            "x");
    ShardPlan plan = plan(List.of(otherPolicy, otherDataset, beforeExpiry), List.of());
    assertThat(deleted(plan)).isEmpty();
    assertThat(plan.expiries()).isEmpty();
  }

  @Test
  void aCopyWithoutAMarkerIsNamedSoThatTheAgentComparesItsSizeOnly() {
    DicomHeader header =
        new DicomHeader(DicomHeader.Kind.DICOM, "1.1", "1.1.1", "19900304", "CT", null, null);
    ListedObject upload =
        new ListedObject("u/i1.dcm", 700, WRITTEN, "etag-u", null, Map.of(), header);
    ShardPlan plan = plan(List.of(upload), List.of(APPROVAL), List.of(), Map.of(), MAP.epoch());

    assertThat(plan.tasks()).hasSize(2);
    for (PlannedTask t : plan.tasks()) {
      assertThat(t.task().proof().copies().get("u/i1.dcm"))
          .containsExactly(
              new VerifiedCopy(
                  t.task().sourcePool(), 700, io.strata.protocol.task.DeleteProof.UNMARKED));
    }
  }

  @Test
  void eachObjectCountsOnceInItsShardsStockByItsStudyDatesAgeUntilItIsDestroyed() {
    ShardStock before = plan(List.of(), List.of()).stock();
    ShardStock after = plan(List.of(APPROVAL), List.of()).stock();

    assertThat(before.dataset()).isEqualTo(DATASET);
    assertThat(before.at()).isEqualTo(NOW);
    long[] ages = before.byPolicy().get("ct-studies").dense();
    // Two buckets hold them: that is all the plan keeps.
    assertThat(before.byPolicy().get("ct-studies").buckets()).hasSize(2);
    // Four objects of 1,000 bytes, each on two pools: counted once each.
    assertThat(AgeProfile.total(ages)).isEqualTo(4_000);
    // The 2019 study is about 2,646 days old by its StudyDate (written in 2024); the 1990 ones
    // about 13,200: each in its bucket.
    assertThat(ages[AgeProfile.bucket(2_646)]).isEqualTo(1_000);
    assertThat(ages[AgeProfile.bucket(13_238)]).isEqualTo(3_000);
    // The approved expiry destroys the three 1990 objects: only the 2019 one is left to count.
    assertThat(AgeProfile.total(after.byPolicy().get("ct-studies").dense())).isEqualTo(1_000);
  }
}
