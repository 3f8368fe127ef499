package io.strata.policy.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final String IMAGING =
      """
      policy: imaging
      datasets: ["*-imaging"]
      recordClass: inpatient
      age: {from: metadata, field: study-date}
      phases:
        0d: 2 × hot-nvme spread room
        90d: warm-hdd + cold-archive spread site
        5y: 2 × cold-archive spread site
      retention: {minimum: 30y}
      movement: {windows: ["00:00-06:00"]}
      """;
  private static final StoragePolicy POLICY = parse(IMAGING);

  private static StoragePolicy parse(String text) {
    return PolicyParser.parse(new PolicySource("t.yaml", text)).orThrow().get(0);
  }

  /** A local time in Shanghai, written {@code 2025-01-15T12:00}. */
  private static Instant local(String text) {
    return OffsetDateTime.parse(text + "+08:00").toInstant();
  }

  private static StoredObject study(String studyDate, String lastModified) {
    return new StoredObject("s/1.dcm", 1024, local(lastModified), Map.of("Study-Date", studyDate));
  }

  @Test
  void aRecentStudyIsHotAndMovesAtNinetyDaysInsideTheWindow() {
    Evaluation e =
        PolicyEvaluator.evaluate(
            POLICY, study("20250110", "2025-01-10T09:00"), local("2025-01-15T12:00"));
    assertThat(e.phase().after()).hasToString("0d");
    assertThat(e.rule()).hasToString("2 × hot-nvme spread room");
    assertThat(e.age().reference()).isEqualTo(local("2025-01-10T00:00"));
    assertThat(e.nextPhase().after()).hasToString("90d");
    assertThat(e.nextTransition()).isEqualTo(local("2025-04-10T00:00"));
    assertThat(e.nextMoveAt()).isEqualTo(e.nextTransition());
    assertThat(e.movementOpen()).isFalse();
  }

  @Test
  void aPhaseBeginsExactlyAtItsAge() {
    StoredObject o = study("20250110", "2025-01-10T09:00");
    assertThat(PolicyEvaluator.evaluate(POLICY, o, local("2025-04-10T00:00")).phase().after())
        .hasToString("90d");
    assertThat(
            PolicyEvaluator.evaluate(POLICY, o, local("2025-04-10T00:00").minusNanos(1))
                .phase()
                .after())
        .hasToString("0d");
  }

  @Test
  void aMigratedStudyAgesFromItsStudyDateNotItsFreshTimestamp() {
    Evaluation e =
        PolicyEvaluator.evaluate(
            POLICY, study("20190304", "2025-01-14T09:00"), local("2025-01-15T12:00"));
    assertThat(e.phase().after()).hasToString("5y");
    assertThat(e.nextPhase()).isNull();
    assertThat(e.nextTransition()).isNull();
    assertThat(e.nextMoveAt()).isNull();
    assertThat(e.phaseSince()).isEqualTo(local("2024-03-04T00:00"));
    assertThat(e.age().source()).isEqualTo("metadata study-date = 20190304");
  }

  @Test
  void aMissingStudyDateFallsBackToLastModified() {
    StoredObject o = new StoredObject("k", 1, local("2025-01-14T09:00"), Map.of());
    Evaluation e = PolicyEvaluator.evaluate(POLICY, o, local("2025-01-15T12:00"));
    assertThat(e.age().reference()).isEqualTo(o.lastModified());
    assertThat(e.age().source()).isEqualTo("LastModified (metadata study-date is missing)");
  }

  @Test
  void anUnreadableOrImplausibleStudyDateFallsBackToLastModified() {
    for (String bad : new String[] {"2019-13-40", "yesterday", "18000101", ""}) {
      AgeBasis age = PolicyEvaluator.ageBasis(POLICY, study(bad, "2025-01-14T09:00"));
      assertThat(age.reference()).isEqualTo(local("2025-01-14T09:00"));
      assertThat(age.source())
          .isEqualTo("LastModified (metadata study-date = '" + bad + "' is not a date)");
    }
  }

  @Test
  void datesAreReadInTheFormsHospitalsWrite() {
    Instant midnight = local("2019-03-04T00:00");
    assertThat(PolicyEvaluator.parseDate("20190304", SHANGHAI)).contains(midnight);
    assertThat(PolicyEvaluator.parseDate("2019-03-04", SHANGHAI)).contains(midnight);
    assertThat(PolicyEvaluator.parseDate("2019-03-04T00:00", SHANGHAI)).contains(midnight);
    assertThat(PolicyEvaluator.parseDate("2019-03-03T16:00:00Z", SHANGHAI)).contains(midnight);
    assertThat(PolicyEvaluator.parseDate("2019-03-04T00:00:00+08:00", SHANGHAI)).contains(midnight);
  }

  @Test
  void aStudyDatedInTheFutureStaysInTheFirstPhase() {
    Evaluation e =
        PolicyEvaluator.evaluate(
            POLICY, study("20300101", "2025-01-14T09:00"), local("2025-01-15T12:00"));
    assertThat(e.phase().after()).hasToString("0d");
    assertThat(e.phaseSince()).isEqualTo(local("2030-01-01T00:00"));
  }

  @Test
  void deletionIsRefusedUntilTheRetentionMinimumHasPassed() {
    StoredObject o = study("20190304", "2025-01-14T09:00");
    Deletion before = PolicyEvaluator.evaluate(POLICY, o, local("2049-03-03T23:59")).deletion();
    assertThat(before.allowed()).isFalse();
    assertThat(before.earliest()).isEqualTo(local("2049-03-04T00:00"));
    assertThat(before.reason())
        .startsWith("retention minimum 30y counted from metadata study-date = 20190304 (")
        .contains("art. 29");
    Deletion after = PolicyEvaluator.evaluate(POLICY, o, local("2049-03-04T00:00")).deletion();
    assertThat(after.allowed()).isTrue();
    assertThat(after.earliest()).isNull();
    assertThat(after.reason()).endsWith(" has passed");
  }

  @Test
  void aLegalHoldRefusesDeletionAndSuspendsExpiry() {
    StoragePolicy held =
        parse(
            IMAGING
                .replace("retention: {minimum: 30y}", "retention: {minimum: 30y, legalHold: true}")
                .concat("expiry: 31y\n"));
    Evaluation e =
        PolicyEvaluator.evaluate(
            held, study("19900101", "2025-01-14T09:00"), local("2025-01-15T12:00"));
    assertThat(e.deletion().allowed()).isFalse();
    assertThat(e.deletion().earliest()).isNull();
    assertThat(e.deletion().reason())
        .isEqualTo("policy imaging holds every object (retention.legalHold: true)");
    assertThat(e.expiresAt()).isEqualTo(local("2021-01-01T00:00"));
    assertThat(e.expired()).isFalse();
  }

  @Test
  void anObjectPastExpiryIsExpired() {
    StoragePolicy expiring = parse(IMAGING.concat("expiry: 31y\n"));
    StoredObject o = study("19900101", "2025-01-14T09:00");
    assertThat(PolicyEvaluator.evaluate(expiring, o, local("2020-12-31T23:00")).expired())
        .isFalse();
    Evaluation e = PolicyEvaluator.evaluate(expiring, o, local("2021-01-01T00:00"));
    assertThat(e.expired()).isTrue();
    assertThat(e.deletion().allowed()).isTrue();
  }

  @Test
  void aTransitionOutsideTheWindowWaitsForTheNextOpening() {
    StoragePolicy byLastModified =
        parse(IMAGING.replace("age: {from: metadata, field: study-date}\n", ""));
    StoredObject o = new StoredObject("k", 1, local("2025-01-10T09:30"), Map.of());
    Evaluation e = PolicyEvaluator.evaluate(byLastModified, o, local("2025-01-15T03:00"));
    assertThat(e.movementOpen()).isTrue();
    assertThat(e.nextTransition()).isEqualTo(local("2025-04-10T09:30"));
    assertThat(e.nextMoveAt()).isEqualTo(local("2025-04-11T00:00"));
  }

  @Test
  void windowsAcrossMidnightAndSeveralWindowsAreHonoured() {
    StoragePolicy p =
        parse(IMAGING.replace("[\"00:00-06:00\"]", "[\"22:00-02:00\", \"12:00-13:00\"]"));
    assertThat(PolicyEvaluator.windowOpen(p, local("2025-01-15T23:30")))
        .isEqualTo(local("2025-01-15T23:30"));
    assertThat(PolicyEvaluator.windowOpen(p, local("2025-01-15T01:59")))
        .isEqualTo(local("2025-01-15T01:59"));
    assertThat(PolicyEvaluator.windowOpen(p, local("2025-01-15T02:00")))
        .isEqualTo(local("2025-01-15T12:00"));
    assertThat(PolicyEvaluator.windowOpen(p, local("2025-01-15T13:00")))
        .isEqualTo(local("2025-01-15T22:00"));
  }

  @Test
  void withoutWindowsMovementIsAlwaysOpen() {
    StoragePolicy p = parse(IMAGING.replace("movement: {windows: [\"00:00-06:00\"]}\n", ""));
    Evaluation e =
        PolicyEvaluator.evaluate(
            p, study("20250110", "2025-01-10T09:00"), local("2025-01-15T12:00"));
    assertThat(e.movementOpen()).isTrue();
  }

  @Test
  void ageCountsFromTheDicomStudyDateAndFallsBackToLastModifiedWhenItIsMissingOrMalformed() {
    StoragePolicy dicom =
        parse(IMAGING.replace("age: {from: metadata, field: study-date}", "age: {from: dicom}"));
    Instant modified = local("2026-11-01T10:00");
    Instant at = local("2026-11-23T00:00");

    AgeBasis read =
        PolicyEvaluator.ageBasis(
            dicom,
            new StoredObject(
                "s/1.dcm",
                1,
                modified,
                io.strata.policy.model.DicomFields.withHeader(Map.of(), "CT", "20190304")));
    Evaluation old =
        PolicyEvaluator.evaluate(
            dicom,
            new StoredObject(
                "s/1.dcm",
                1,
                modified,
                io.strata.policy.model.DicomFields.withHeader(Map.of(), "CT", "20190304")),
            at);
    AgeBasis missing =
        PolicyEvaluator.ageBasis(dicom, new StoredObject("s/2.dcm", 1, modified, Map.of()));
    AgeBasis malformed =
        PolicyEvaluator.ageBasis(
            dicom,
            new StoredObject(
                "s/3.dcm",
                1,
                modified,
                io.strata.policy.model.DicomFields.withHeader(Map.of(), "CT", "2019-3-4")));

    assertThat(read.reference()).isEqualTo(local("2019-03-04T00:00"));
    assertThat(read.source()).isEqualTo("DICOM StudyDate = 20190304");
    assertThat(old.rule()).hasToString("2 × cold-archive spread site");
    assertThat(missing.reference()).isEqualTo(modified);
    assertThat(missing.source()).isEqualTo("LastModified (DICOM StudyDate is missing)");
    assertThat(malformed.reference()).isEqualTo(modified);
    assertThat(malformed.source())
        .isEqualTo("LastModified (DICOM StudyDate = '2019-3-4' is not a date)");
  }
}
