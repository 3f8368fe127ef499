package io.strata.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.DemoTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
  private static List<String> errors(PolicyLoadResult r) {
    return r.errors().stream().map(PolicyError::toString).toList();
  }

  @Test
  void errorsOfEveryFileAndOfTheSetAreReportedTogether() {
    PolicyLoadResult r =
        PolicyLoader.load(
            List.of(
                new PolicySource("a.yaml", Policies.BASE),
                new PolicySource("b.yaml", Policies.BASE),
                new PolicySource("c.yaml", Policies.replacing("30y", "1y"))),
            DemoTopology.map());
    assertThat(r.policies()).isEmpty();
    assertThat(errors(r))
        .containsExactly(
            "b.yaml:1:1: policy: the name 'test-imaging' is already used by a.yaml:1:1; names"
                + " must be unique",
            "b.yaml:2:1: datasets: policies 'test-imaging' (a.yaml) and 'test-imaging' (b.yaml)"
                + " both claim datasets matching *-imaging with overlapping selectors (every object"
                + " / every object); give them disjoint datasets, prefixes or metadata values",
            "c.yaml:1:1: policy: the name 'test-imaging' is already used by a.yaml:1:1; names"
                + " must be unique",
            "c.yaml:2:1: datasets: policies 'test-imaging' (a.yaml) and 'test-imaging' (c.yaml)"
                + " both claim datasets matching *-imaging with overlapping selectors (every object"
                + " / every object); give them disjoint datasets, prefixes or metadata values",
            "c.yaml:2:1: datasets: policies 'test-imaging' (b.yaml) and 'test-imaging' (c.yaml)"
                + " both claim datasets matching *-imaging with overlapping selectors (every object"
                + " / every object); give them disjoint datasets, prefixes or metadata values",
            "c.yaml:8:12: retention.minimum: 1y is shorter than the legal minimum 30y for record"
                + " class inpatient (《医疗机构病历管理规定》(2013) art. 29: inpatient records are"
                + " kept at least 30 years from the last discharge); write at least 30y, or add"
                + " retention.override with the reason");
  }

  private static String imaging(String name, String prefix, String encryption) {
    return Policies.plus("prefixes: [" + prefix + "]\nencryption: " + encryption + "\n")
        .replace("policy: test-imaging", "policy: " + name);
  }

  @Test
  void policiesOfTheSameDatasetsThatAskDifferentEncryptionAreRefused() {
    PolicyLoadResult r =
        PolicyLoader.load(
            List.of(
                new PolicySource("ct.yaml", imaging("ct", "ct/", "{type: sse-s3}")),
                new PolicySource(
                    "mr.yaml", imaging("mr", "mr/", "{type: sse-kms, keyId: alias/mr}"))),
            DemoTopology.map());
    assertThat(errors(r))
        .containsExactly(
            "mr.yaml:10:1: encryption: asks sse-kms with key alias/mr of copies of datasets that"
                + " policy 'ct' (ct.yaml:10:1) asks sse-s3 of; policies that claim the same"
                + " datasets must ask the same encryption");
  }

  @Test
  void policiesOfTheSameDatasetsMayAskTheSameEncryption() {
    PolicyLoadResult r =
        PolicyLoader.load(
            List.of(
                new PolicySource("ct.yaml", imaging("ct", "ct/", "{type: sse-s3}")),
                new PolicySource("mr.yaml", imaging("mr", "mr/", "{type: sse-s3}"))),
            DemoTopology.map());
    assertThat(errors(r)).isEmpty();
  }

  @Test
  void aValidSetIsReturnedWhole() {
    PolicyLoadResult r =
        PolicyLoader.load(List.of(new PolicySource("a.yaml", Policies.BASE)), DemoTopology.map());
    assertThat(r.isValid()).isTrue();
    assertThat(r.policies()).singleElement().extracting(p -> p.name()).isEqualTo("test-imaging");
  }

  @Test
  void unreadableAndMissingFilesAreErrorsLikeAnyOther(@TempDir Path dir) throws IOException {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, new byte[] {'p', ':', ' ', (byte) 0xE9});
    Path missing = dir.resolve("missing.yaml");
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, Policies.BASE);
    PolicyLoadResult r = PolicyLoader.loadFiles(List.of(latin1, missing, good), DemoTopology.map());
    assertThat(errors(r))
        .containsExactly(
            latin1 + ":1:1: is not UTF-8 text",
            missing + ":1:1: cannot be read: NoSuchFileException");
  }
}
