package io.strata.policy.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.PolicyLibrary;
import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.DemoTopology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySetTest {
  private static final PolicySet LIBRARY =
      PolicySet.of(PolicyLibrary.load(DemoTopology.map()).orThrow());

  private static StoragePolicy policy(String name, String datasets, String extra) {
    String text =
        "policy: "
            + name
            + "\ndatasets: "
            + datasets
            + "\nrecordClass: none\nphases: {0d: 2 × hot-nvme spread room}\n"
            + "retention: {minimum: 0d}\n"
            + extra;
    return PolicyParser.parse(new PolicySource(name + ".yaml", text)).orThrow().get(0);
  }

  private static List<String> names(List<StoragePolicy> policies) {
    return policies.stream().map(StoragePolicy::name).toList();
  }

  @Test
  void theDemoDatasetsFindTheirLibraryPolicies() {
    assertThat(names(LIBRARY.claiming("h01-imaging"))).containsExactly("imaging-archive");
    assertThat(names(LIBRARY.claiming("h03-genomics"))).containsExactly("genomics");
    assertThat(names(LIBRARY.claiming("h02-audit"))).containsExactly("audit-trail");
    assertThat(names(LIBRARY.claiming("strata-system"))).containsExactly("strata-system");
    assertThat(names(LIBRARY.claiming("h02-records")))
        .containsExactly("inpatient-records", "outpatient-records");
    assertThat(LIBRARY.claiming("h01-scratch")).isEmpty();
  }

  @Test
  void recordsAreGovernedByTheirRecordType() {
    assertThat(
            LIBRARY
                .governing("h02-records", "r/1.json", Map.of("record-type", "emergency"))
                .policy())
        .map(StoragePolicy::name)
        .contains("outpatient-records");
    assertThat(
            LIBRARY
                .governing("h02-records", "r/1.json", Map.of("record-type", "inpatient"))
                .policy())
        .map(StoragePolicy::name)
        .contains("inpatient-records");
    PolicyMatch unlabelled = LIBRARY.governing("h02-records", "r/1.json", Map.of());
    assertThat(unlabelled.policy()).isEmpty();
    assertThat(unlabelled.isConflict()).isFalse();
  }

  @Test
  void theLibraryHasNoConflicts() {
    assertThat(LIBRARY.conflicts()).isEmpty();
  }

  @Test
  void overlappingGlobsWithOverlappingSelectorsConflict() {
    StoragePolicy all = policy("all-imaging", "[\"*-imaging\"]", "");
    StoragePolicy h01 = policy("h01", "[\"h01-*\"]", "select: {modality: CT}\n");
    PolicySet set = PolicySet.of(List.of(all, h01));
    assertThat(set.conflicts())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.first()).isEqualTo(all);
              assertThat(c.second()).isEqualTo(h01);
              assertThat(c.datasets()).isEqualTo("*-imaging and h01-*");
              assertThat(c.describe())
                  .isEqualTo(
                      "policies 'all-imaging' (all-imaging.yaml) and 'h01' (h01.yaml) both claim"
                          + " datasets matching *-imaging and h01-* with overlapping selectors"
                          + " (every object / modality in [CT]); give them disjoint datasets,"
                          + " prefixes or metadata values");
            });
    PolicyMatch m = set.governing("h01-imaging", "k", Map.of("modality", "CT"));
    assertThat(m.isConflict()).isTrue();
    assertThat(m.policy()).isEmpty();
  }

  @Test
  void disjointMetadataValuesOrPrefixesDoNotConflict() {
    StoragePolicy ct = policy("ct", "[\"*-imaging\"]", "select: {modality: [CT, MR]}\n");
    StoragePolicy us = policy("us", "[\"*-imaging\"]", "select: {Modality: [US]}\n");
    StoragePolicy a = policy("a", "[\"*-imaging\"]", "prefixes: [a/]\nselect: {modality: US}\n");
    StoragePolicy b = policy("b", "[\"*-imaging\"]", "prefixes: [b/]\n");
    assertThat(PolicySet.of(List.of(ct, us)).conflicts()).isEmpty();
    assertThat(PolicySet.of(List.of(a, b)).conflicts()).isEmpty();
    assertThat(PolicySet.of(List.of(us, a)).conflicts()).hasSize(1);
  }

  @Test
  void disjointGlobsDoNotConflict() {
    StoragePolicy imaging = policy("i", "[\"*-imaging\"]", "");
    StoragePolicy records = policy("r", "[\"*-records\", \"strata-system\"]", "");
    assertThat(PolicySet.of(List.of(imaging, records)).conflicts()).isEmpty();
  }

  @Test
  void globsThatLookDisjointCanShareAName() {
    StoragePolicy imaging = policy("i", "[\"*-imaging\"]", "");
    StoragePolicy strata = policy("s", "[\"strata-*\"]", "");
    assertThat(PolicySet.of(List.of(imaging, strata)).conflicts())
        .singleElement()
        .extracting(PolicyConflict::datasets)
        .isEqualTo("*-imaging and strata-*");
  }

  @Test
  void aPolicyIsFoundByName() {
    assertThat(LIBRARY.named("genomics")).isPresent();
    assertThat(LIBRARY.named("nope")).isEmpty();
  }
}
