package io.strata.policy.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CopyRetentionTest {
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
      """;

  private static StoragePolicy parse(String text) {
    return PolicyParser.parse(new PolicySource("t.yaml", text)).orThrow().get(0);
  }

  /** A local time in Shanghai, the policies' zone, written {@code 2025-01-15T12:00}. */
  private static Instant local(String text) {
    return OffsetDateTime.parse(text + "+08:00").toInstant();
  }

  private static StoredObject study(String studyDate) {
    return new StoredObject(
        "s/1.dcm", 1024, local("2025-01-10T09:17:33.250"), Map.of("Study-Date", studyDate));
  }

  private static Evaluation at(StoragePolicy policy, StoredObject object, String now) {
    return PolicyEvaluator.evaluate(policy, object, local(now));
  }

  @Test
  void aCopyWrittenForTheHotPhaseIsRetainedUntilThatPhaseEnds() {
    Evaluation e = at(parse(IMAGING), study("20250110"), "2025-01-15T12:00");

    assertThat(CopyRetention.retainUntil(e)).contains(local("2025-04-10T00:00"));
  }

  @Test
  void aCopyWrittenForAMiddlePhaseIsRetainedUntilTheNextPhaseBegins() {
    Evaluation e = at(parse(IMAGING), study("20250110"), "2026-01-15T12:00");

    assertThat(CopyRetention.retainUntil(e)).contains(local("2030-01-10T00:00"));
  }

  @Test
  void aCopyOfTheLastPhaseCarriesTheWholeRetention() {
    Evaluation e = at(parse(IMAGING), study("20190304"), "2025-01-15T12:00");

    assertThat(e.nextPhase()).isNull();
    assertThat(CopyRetention.retainUntil(e)).contains(local("2049-03-04T00:00"));
  }

  @Test
  void aPhaseThatEndsAfterTheRetentionIsCutToTheRetentionsEnd() {
    StoragePolicy policy =
        parse(
            IMAGING
                .replace("inpatient", "none")
                .replace("30y", "1y")
                .replace("5y: 2 × cold-archive spread site", "3y: 2 × cold-archive spread site"));
    Evaluation e = at(policy, study("20250110"), "2025-06-01T12:00");

    assertThat(e.nextTransition()).isEqualTo(local("2028-01-10T00:00"));
    assertThat(CopyRetention.retainUntil(e)).contains(local("2026-01-10T00:00"));
  }

  @Test
  void aPolicyKeepingLongerThanTheLawIsMarkedOnlyToTheLegalEnd() {
    StoragePolicy policy = parse(IMAGING.replace("minimum: 30y", "minimum: 40y"));
    Evaluation e = at(policy, study("20190304"), "2025-01-15T12:00");

    assertThat(CopyRetention.retentionEnd(e)).contains(local("2049-03-04T00:00"));
    assertThat(CopyRetention.retainUntil(e)).contains(local("2049-03-04T00:00"));
  }

  @Test
  void aRetentionShortenedByOverrideIsMarkedToThePolicysEnd() {
    StoragePolicy policy =
        parse(
            IMAGING.replace(
                "retention: {minimum: 30y}",
                "retention: {minimum: 10y, override: 'research copy, originals kept'}"));
    Evaluation e = at(policy, study("20190304"), "2025-01-15T12:00");

    assertThat(CopyRetention.retainUntil(e)).contains(local("2029-03-04T00:00"));
  }

  @Test
  void anObjectWithoutItsStudyDateGetsNoDateItsAgeIsUnknown() {
    StoredObject noDate =
        new StoredObject("s/1.dcm", 1024, local("2025-01-10T09:00"), Map.of("modality", "CT"));
    StoredObject badDate =
        new StoredObject(
            "s/1.dcm", 1024, local("2025-01-10T09:00"), Map.of("study-date", "unknown"));

    assertThat(CopyRetention.retainUntil(at(parse(IMAGING), noDate, "2025-01-15T12:00"))).isEmpty();
    assertThat(CopyRetention.retainUntil(at(parse(IMAGING), badDate, "2025-01-15T12:00")))
        .isEmpty();
  }

  @Test
  void anAgeCountedFromLastModifiedMarksNothing() {
    // LastModified is when each copy was written: copies of one object would differ in date.
    StoragePolicy policy = parse(IMAGING.replace("age: {from: metadata, field: study-date}\n", ""));
    Evaluation e = at(policy, study("20190304"), "2025-01-15T12:00");

    assertThat(e.age().stoodIn()).isFalse();
    assertThat(CopyRetention.retentionEnd(e)).isEmpty();
    assertThat(CopyRetention.retainUntil(e)).isEmpty();
  }

  @Test
  void aPolicyThatKeepsNothingMarksNothing() {
    StoragePolicy policy = parse(IMAGING.replace("inpatient", "none").replace("30y", "0d"));

    assertThat(CopyRetention.retainUntil(at(policy, study("20250110"), "2025-01-15T12:00")))
        .isEmpty();
  }

  @Test
  void aRetentionThatHasPassedMarksNothing() {
    Evaluation e = at(parse(IMAGING), study("19900304"), "2025-01-15T12:00");

    assertThat(CopyRetention.retainUntil(e)).isEmpty();
  }
}
