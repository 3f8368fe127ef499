package io.strata.controller.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator API refuses to drain a second rack holding the same shards' copies. */
class DrainCheckTest {
  private static final ClusterMap MAP =
      NodeTopology.propose(
              KubernetesFleet.SEED,
              List.of(
                  NodeTopologyTest.placed("n1", "site-a", "room-1", "r01"),
                  NodeTopologyTest.placed("n2", "site-a", "room-2", "r02"),
                  NodeTopologyTest.placed("n3", "site-a", "room-2", "r03")),
              NodeTopologyTest.LABELS,
              null)
          .map();

  /** The fleet's nodes in racks r01 (room-1), r02 and r03 (room-2). */
  static ClusterMap map() {
    return MAP;
  }

  private final DrainCheck check =
      new DrainCheck(
          DomainLevel.RACK,
          Map::of,
          (domains, level) -> {
            Map<String, Set<String>> out = new HashMap<>();
            domains.forEach(d -> out.put(d, KubernetesFleet.SHARING.getOrDefault(d, Set.of())));
            return out;
          });

  @Test
  void aDrainIsRefusedWhileARackSharingItsShardsIsDraining() throws Exception {
    assertThat(check.conflicts(MAP, "r02")).as("nothing else disrupted").isEmpty();

    ClusterMap r01Draining = MAP.withPool(MAP.pools().get("p1").withState(DomainState.DRAINING));

    assertThat(check.conflicts(r01Draining, "r02"))
        .singleElement()
        .asString()
        .contains("rack 'r02'", "rack 'r01'");
    assertThat(check.conflicts(r01Draining, "p2")).as("its pool, too").hasSize(1);
    assertThat(check.conflicts(r01Draining, "r03")).as("shares nothing with r01").isEmpty();
    assertThat(check.conflicts(r01Draining, "p1")).as("the drained rack itself").isEmpty();
  }

  @Test
  void aRoomIsCheckedRackByRack() throws Exception {
    ClusterMap r01Down = MAP.withPool(MAP.pools().get("p1").withState(DomainState.DOWN));
    assertThat(check.conflicts(r01Down, "room-2")).singleElement().asString().contains("'r02'");
  }

  @Test
  void aFollowerThatCannotTellRefusesAndNamesTheLeader() throws Exception {
    DrainCheck follower =
        new DrainCheck(
            DomainLevel.RACK,
            Map::of,
            (domains, level) -> {
              throw new IllegalStateException("this replica does not lead; ask the leader");
            });
    ClusterMap r01Draining = MAP.withPool(MAP.pools().get("p1").withState(DomainState.DRAINING));
    assertThat(follower.conflicts(r01Draining, "r03"))
        .singleElement()
        .asString()
        .contains("send the drain to the leader");
  }
}
