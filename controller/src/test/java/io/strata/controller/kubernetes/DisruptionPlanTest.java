package io.strata.controller.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which racks may be disrupted, by the map, the nodes and the racks that share shards. */
class DisruptionPlanTest {
  private static final ClusterMap MAP =
      io.strata.controller.kubernetes.NodeTopology.propose(
              KubernetesFleet.SEED,
              List.of(
                  NodeTopologyTest.placed("n1", "site-a", "room-1", "r01"),
                  NodeTopologyTest.placed("n2", "site-a", "room-2", "r02"),
                  NodeTopologyTest.placed("n3", "site-a", "room-2", "r03")),
              NodeTopologyTest.LABELS,
              null)
          .map();

  @Test
  void aRackIsDisruptedByADownOrDrainingPoolOrACordonedOrUnreadyNode() {
    assertThat(DisruptionPlan.disrupted(MAP, DomainLevel.RACK, Map.of())).isEmpty();

    ClusterMap down = MAP.withPool(MAP.pools().get("p2").withState(DomainState.DOWN));
    assertThat(DisruptionPlan.disrupted(down, DomainLevel.RACK, Map.of())).containsExactly("r02");

    NodeFacts cordoned = new NodeFacts("n3", Map.of(), null, java.time.Instant.EPOCH);
    assertThat(DisruptionPlan.disrupted(MAP, DomainLevel.ROOM, Map.of("n3", cordoned)))
        .containsExactly("room-2");
  }

  @Test
  void onlyRacksSharingShardsWithAnotherDisruptedRackAreBlocked() {
    List<DisruptionPlan.Budget> plan =
        DisruptionPlan.plan(
            MAP, DomainLevel.RACK, Map.of("r01", Set.of("r02"), "r02", Set.of("r01")));

    // r01 and r02 are both disrupted and share shards: neither may lose more agents.
    assertThat(plan)
        .extracting(DisruptionPlan.Budget::domain, DisruptionPlan.Budget::blocked)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("r01", true),
            org.assertj.core.groups.Tuple.tuple("r02", true),
            org.assertj.core.groups.Tuple.tuple("r03", false));
  }

  @Test
  void budgetNamesAreValidKubernetesNamesAndDistinct() {
    assertThat(DisruptionPlan.budgetName("r01")).isEqualTo("strata-agents-r01");
    assertThat(DisruptionPlan.budgetName("Rack_1")).matches("strata-agents-rack-1-[0-9a-f]{8}");
    assertThat(DisruptionPlan.budgetName("Rack_1"))
        .isNotEqualTo(DisruptionPlan.budgetName("rack-1"));
  }
}
