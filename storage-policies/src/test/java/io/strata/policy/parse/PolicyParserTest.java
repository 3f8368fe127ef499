package io.strata.policy.parse;

import static io.strata.policy.parse.Policies.plus;
import static io.strata.policy.parse.Policies.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.policy.model.AgeReference;
import io.strata.policy.model.Movement;
import io.strata.policy.model.PolicyDuration;
import io.strata.policy.model.RecordClass;
import io.strata.policy.model.SourcePosition;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.model.TimeWindow;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
  @Test
  void aCharacterOutsideTheBasicPlaneIsReadWhereverItFallsInTheFile() {
    // U+20000, a CJK ideograph written as a surrogate pair, as some names in hospital records are.
    // The YAML reader fills a buffer of about a thousand chars at a time; the pair is placed to
    // straddle that boundary, at each position near it.
    String ideograph = new String(Character.toChars(0x20000));
    String head = Policies.plus("description: \"");
    for (int at = 1010; at <= 1035; at++) {
      String text = head + "x".repeat(at - head.length()) + ideograph + "\"\n";
      assertThat(text.indexOf(ideograph)).isEqualTo(at);

      StoragePolicy p = valid(text);

      assertThat(p.description()).as("pair at %d", at).endsWith("x" + ideograph);
    }
  }

  @Test
  void theSmallestPolicyTakesDefaultsForEverythingOptional() {
    StoragePolicy p = valid(Policies.BASE);
    assertThat(p.name()).isEqualTo("test-imaging");
    assertThat(p.description()).isEmpty();
    assertThat(p.datasets()).extracting(Object::toString).containsExactly("*-imaging");
    assertThat(p.selector().keyPrefixes()).isEmpty();
    assertThat(p.selector().metadata()).isEmpty();
    assertThat(p.recordClass()).isEqualTo(RecordClass.INPATIENT);
    assertThat(p.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(p.age()).isEqualTo(AgeReference.LAST_MODIFIED);
    assertThat(p.phases())
        .extracting(Object::toString)
        .containsExactly(
            "0d: 2 × hot-nvme spread room", "90d: 1 × warm-hdd + 1 × cold-archive spread site");
    assertThat(p.retention().minimum()).isEqualTo(PolicyDuration.parse("30y"));
    assertThat(p.retention().legalHold()).isFalse();
    assertThat(p.retention().writeOnce()).isFalse();
    assertThat(p.retention().override()).isNull();
    assertThat(p.expiry()).isNull();
    assertThat(p.movement()).isEqualTo(Movement.DEFAULT);
  }

  @Test
  void everyOptionalFieldIsRead() {
    StoragePolicy p =
        valid(
            plus("""
                description: CT and MR only
                prefixes: [studies/, legacy/]
                select:
                  Modality: [CT, MR]
                  institution: h01
                timeZone: UTC
                age: {from: metadata, field: Study-Date}
                expiry: 31y
                movement:
                  priority: 70
                  bandwidth: 500MB/s
                  windows: ["00:00-06:00", "22:00-24:00"]
                """)
                .replace("minimum: 30y", "minimum: 30y\n  legalHold: true\n  writeOnce: true"));
    assertThat(p.description()).isEqualTo("CT and MR only");
    assertThat(p.selector().keyPrefixes()).containsExactly("studies/", "legacy/");
    assertThat(p.selector().metadata())
        .isEqualTo(Map.of("modality", Set.of("CT", "MR"), "institution", Set.of("h01")));
    assertThat(p.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(p.age()).isEqualTo(new AgeReference("study-date"));
    assertThat(p.expiry()).hasToString("31y");
    assertThat(p.retention().legalHold()).isTrue();
    assertThat(p.retention().writeOnce()).isTrue();
    assertThat(p.movement().priority()).isEqualTo(70);
    assertThat(p.movement().bandwidth().bytesPerSecond()).isEqualTo(500_000_000L);
    assertThat(p.movement().windows())
        .containsExactly(TimeWindow.parse("00:00-06:00"), TimeWindow.parse("22:00-24:00"));
  }

  @Test
  void expiryNeverMeansNoExpiry() {
    assertThat(valid(plus("expiry: never\n")).expiry()).isNull();
  }

  @Test
  void ageFromLastModifiedMayBeWrittenOut() {
    assertThat(valid(plus("age: {from: lastModified}\n")).age())
        .isEqualTo(AgeReference.LAST_MODIFIED);
  }

  @Test
  void anOverrideIsKeptWithItsReason() {
    StoragePolicy p =
        valid(
            Policies.replacing(
                "minimum: 30y",
                "minimum: 10y\n  override: \"research copy, originals kept by hospital\""));
    assertThat(p.retention().override()).isEqualTo("research copy, originals kept by hospital");
  }

  @Test
  void positionsOfFieldsAreRecorded() {
    StoragePolicy p = valid(Policies.BASE);
    assertThat(p.position("")).isEqualTo(new SourcePosition("t.yaml", 1, 1));
    assertThat(p.position("datasets")).isEqualTo(new SourcePosition("t.yaml", 2, 1));
    assertThat(p.position("phases.90d")).isEqualTo(new SourcePosition("t.yaml", 6, 3));
    assertThat(p.position("retention.minimum")).isEqualTo(new SourcePosition("t.yaml", 8, 12));
    assertThat(p.position("movement.windows")).isEqualTo(new SourcePosition("t.yaml", 1, 1));
    assertThat(p.file()).isEqualTo("t.yaml");
  }

  @Test
  void aSingleMetadataValueIsAListOfOne() {
    assertThat(valid(plus("select: {modality: CT}\n")).selector().metadata())
        .isEqualTo(Map.of("modality", Set.of("CT")));
  }

  @Test
  void everyRecordClassIsAccepted() {
    for (RecordClass rc : RecordClass.values()) {
      assertThat(valid(Policies.replacing("inpatient", rc.label())).recordClass()).isEqualTo(rc);
    }
  }

  @Test
  void orThrowCarriesEveryError() {
    PolicyLoadResult r = Policies.parse("policy: X\n");
    assertThat(r.isValid()).isFalse();
    assertThat(r.policies()).isEmpty();
    assertThatThrownBy(r::orThrow)
        .isInstanceOf(PolicyException.class)
        .satisfies(e -> assertThat(((PolicyException) e).errors()).hasSize(r.errors().size()))
        .hasMessageContaining("t.yaml:1:9: policy: 'X' is not a policy name");
  }

  @Test
  void errorsAreSortedByLine() {
    List<PolicyError> errors =
        Policies.parse(plus("expiry: soon\n").replace("  0d:", "  0x:")).errors();
    assertThat(errors).extracting(PolicyError::line).isSorted();
    assertThat(errors).hasSize(2);
  }
}
