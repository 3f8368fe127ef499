package io.strata.topology.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleValidatorTest {
  private final ClusterMap demo = DemoTopology.map();

  @Test
  void imagingPhasesFitTheDemoFleet() {
    var hot = new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2)));
    var split =
        new PlacementRule(
            DomainLevel.SITE,
            List.of(new TierCopies("warm-hdd", 1), new TierCopies("cold-archive", 1)));
    var cold = new PlacementRule(DomainLevel.SITE, List.of(new TierCopies("cold-archive", 2)));
    assertThat(RuleValidator.problems(hot, demo)).isEmpty();
    assertThat(RuleValidator.problems(split, demo)).isEmpty();
    assertThat(RuleValidator.problems(cold, demo)).isEmpty();
  }

  @Test
  void tooFewDomainsWithTheTierIsExplained() {
    var rule = new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("cold-archive", 3)));
    assertThat(RuleValidator.problems(rule, demo))
        .containsExactly("spread: room needs 3 rooms with tier cold-archive, map has 2");
  }

  @Test
  void poolsThatAreNotUpDoNotCount() {
    ClusterMap map =
        demo.withPool(demo.pool("lytm-b-r01-cold").orElseThrow().withState(DomainState.OUT));
    var rule = new PlacementRule(DomainLevel.SITE, List.of(new TierCopies("cold-archive", 2)));
    assertThat(RuleValidator.problems(rule, map))
        .containsExactly("spread: site needs 2 sites with tier cold-archive, map has 1");
  }

  @Test
  void tiersCompetingForTheSameDomainsAreCaught() {
    var rule =
        new PlacementRule(
            DomainLevel.SITE,
            List.of(new TierCopies("hot-nvme", 1), new TierCopies("cold-archive", 2)));
    assertThat(RuleValidator.problems(rule, demo))
        .containsExactly(
            "spread: site needs 3 distinct sites for tiers hot-nvme and cold-archive, map has 2");
  }

  @Test
  void unknownTierIsNamed() {
    var rule = new PlacementRule(DomainLevel.RACK, List.of(new TierCopies("tape", 1)));
    assertThat(RuleValidator.problems(rule, demo).get(0)).startsWith("tier 'tape' is unknown");
  }
}
