package io.strata.controller.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The next step of a rolling update of the agents, rack by rack. */
class RolloutPlanTest {
  private static final ClusterMap MAP = DrainCheckTest.map();
  private static final Set<String> NODES = Set.of("n1", "n2", "n3");
  private static final String OLD = "strata:1";
  private static final String NEW = "strata:2";

  private static RolloutPlan.Step next(
      List<RolloutPlan.AgentPod> pods, Map<String, RolloutPlan.Agent> agents, Set<String> blocked) {
    return RolloutPlan.next(MAP, DomainLevel.RACK, NODES, pods, agents, NEW, "2", blocked);
  }

  private static RolloutPlan.AgentPod pod(String node, String image) {
    return new RolloutPlan.AgentPod("agent-" + node, node, image);
  }

  private static final RolloutPlan.Agent AT_1 = new RolloutPlan.Agent(true, "1");
  private static final RolloutPlan.Agent AT_2 = new RolloutPlan.Agent(true, "2");

  @Test
  void theFirstRackWithOldPodsRollsWhenNoneIsComingBack() {
    RolloutPlan.Step step =
        next(
            List.of(pod("n1", OLD), pod("n2", OLD), pod("n3", OLD)),
            Map.of("n1", AT_1, "n2", AT_1, "n3", AT_1),
            Set.of());
    assertThat(step).isEqualTo(new RolloutPlan.Roll("r01", List.of("agent-n1")));
  }

  @Test
  void aRackWhosePodIsGoneOrWhoseAgentIsNotBackHoldsTheRest() {
    assertThat(
            next(
                List.of(pod("n2", OLD), pod("n3", OLD)),
                Map.of("n1", AT_1, "n2", AT_1, "n3", AT_1),
                Set.of()))
        .isInstanceOf(RolloutPlan.Wait.class);
    assertThat(
            next(
                List.of(pod("n1", NEW), pod("n2", OLD), pod("n3", OLD)),
                Map.of("n1", AT_1, "n2", AT_1, "n3", AT_1),
                Set.of()))
        .isInstanceOf(RolloutPlan.Wait.class);
    assertThat(
            next(
                List.of(pod("n1", NEW), pod("n2", OLD), pod("n3", OLD)),
                Map.of("n1", AT_2, "n2", AT_1, "n3", AT_1),
                Set.of()))
        .isEqualTo(new RolloutPlan.Roll("r02", List.of("agent-n2")));
  }

  @Test
  void aBlockedRackIsPassedOverAndEveryAgentAtTheVersionIsDone() {
    assertThat(
            next(
                List.of(pod("n1", NEW), pod("n2", OLD), pod("n3", OLD)),
                Map.of("n1", AT_2, "n2", AT_1, "n3", AT_1),
                Set.of("r02")))
        .isEqualTo(new RolloutPlan.Roll("r03", List.of("agent-n3")));
    assertThat(
            next(
                List.of(pod("n1", NEW), pod("n2", NEW), pod("n3", NEW)),
                Map.of("n1", AT_2, "n2", AT_2, "n3", AT_2),
                Set.of()))
        .isEqualTo(new RolloutPlan.Done());
  }
}
