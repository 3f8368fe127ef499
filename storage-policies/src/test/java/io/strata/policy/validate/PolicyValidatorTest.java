package io.strata.policy.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.model.StoragePolicy;
import io.strata.policy.parse.PolicyError;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainState;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyValidatorTest {
  private static final ClusterMap DEMO = DemoTopology.map();

  private static StoragePolicy policy(String recordClass, String retention, String phases) {
    String text =
        "policy: p\n"
            + "datasets: [\"*-imaging\"]\n"
            + "recordClass: "
            + recordClass
            + "\n"
            + "phases:\n"
            + phases
            + "retention:\n"
            + retention;
    return PolicyParser.parse(new PolicySource("p.yaml", text)).orThrow().get(0);
  }

  private static StoragePolicy withRetention(String recordClass, String retention) {
    return policy(recordClass, retention, "  0d: 2 × hot-nvme spread room\n");
  }

  private static List<String> problems(StoragePolicy p, ClusterMap map) {
    return PolicyValidator.problems(p, map).stream().map(PolicyError::toString).toList();
  }

  @Test
  void retentionBelowTheLegalMinimumIsRejectedWithTheLawNamed() {
    assertThat(problems(withRetention("inpatient", "  minimum: 10y\n"), DEMO))
        .containsExactly(
            "p.yaml:7:12: retention.minimum: 10y is shorter than the legal minimum 30y for record"
                + " class inpatient (《医疗机构病历管理规定》(2013) art. 29: inpatient records are"
                + " kept at least 30 years from the last discharge); write at least 30y, or add"
                + " retention.override with the reason");
  }

  @Test
  void outpatientRecordsNeedFifteenYears() {
    assertThat(problems(withRetention("outpatient", "  minimum: 15y\n"), DEMO)).isEmpty();
    assertThat(problems(withRetention("outpatient", "  minimum: 5400d\n"), DEMO))
        .singleElement()
        .asString()
        .contains("5400d is shorter than the legal minimum 15y for record class outpatient");
  }

  @Test
  void theLegalMinimumInOtherUnitsIsEnough() {
    assertThat(problems(withRetention("inpatient", "  minimum: 360mo\n"), DEMO)).isEmpty();
    assertThat(problems(withRetention("network-log", "  minimum: 183d\n"), DEMO)).isEmpty();
    assertThat(problems(withRetention("network-log", "  minimum: 26w\n"), DEMO)).hasSize(1);
  }

  @Test
  void anOverrideWithAReasonAllowsAShorterRetention() {
    assertThat(
            problems(
                withRetention(
                    "inpatient",
                    "  minimum: 10y\n  override: research copy, originals kept by hospital\n"),
                DEMO))
        .isEmpty();
  }

  @Test
  void recordClassNoneHasNoMinimum() {
    assertThat(problems(withRetention("none", "  minimum: 0d\n"), DEMO)).isEmpty();
  }

  @Test
  void aPhaseWithAnUnknownTierIsReportedAtItsLine() {
    StoragePolicy p =
        policy(
            "none",
            "  minimum: 0d\n",
            "  0d: 2 × hot-nvme spread room\n  90d: 2 × tape spread site\n");
    assertThat(problems(p, DEMO))
        .containsExactly(
            "p.yaml:6:3: phases.90d: 2 × tape spread site cannot be placed on the cluster map"
                + " (epoch 1): tier 'tape' is unknown; the map has [hot-nvme, warm-hdd,"
                + " cold-archive]");
  }

  @Test
  void aPhaseNeedingMoreRoomsThanTheMapHasIsReported() {
    StoragePolicy p = policy("none", "  minimum: 0d\n", "  0d: 4 × hot-nvme spread room\n");
    assertThat(problems(p, DEMO))
        .containsExactly(
            "p.yaml:5:3: phases.0d: 4 × hot-nvme spread room cannot be placed on the cluster map"
                + " (epoch 1): spread: room needs 4 rooms with tier hot-nvme, map has 3");
  }

  @Test
  void aPhaseThatFitsTodayFailsWhenASiteGoesOut() {
    StoragePolicy p = policy("none", "  minimum: 0d\n", "  0d: 2 × cold-archive spread site\n");
    assertThat(problems(p, DEMO)).isEmpty();
    ClusterMap oneSiteOut =
        DEMO.withDomain(DEMO.domain("liyang-tianmuhu").orElseThrow().withState(DomainState.OUT));
    assertThat(problems(p, oneSiteOut))
        .containsExactly(
            "p.yaml:5:3: phases.0d: 2 × cold-archive spread site cannot be placed on the cluster"
                + " map (epoch 2): spread: site needs 2 sites with tier cold-archive, map has 1");
  }
}
