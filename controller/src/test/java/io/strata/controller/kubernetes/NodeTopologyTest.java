package io.strata.controller.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.TopologyFile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The failure-domain tree the nodes' labels describe. */
class NodeTopologyTest {
  static final NodeLabels LABELS = new KubernetesFactory().labels();

  /** Two nodes with a pool each; the file's tree is a placeholder the labels replace. */
  static final ClusterMap SEED =
      TopologyFile.parse(
          "topology.yaml",
          """
          tiers:
            - {name: hot}
          domains:
            - {id: east, level: region}
            - {id: n1, level: node, parent: east}
            - {id: n2, level: node, parent: east}
          pools:
            - {id: p1, domain: n1, tier: hot, endpoint: "http://10.0.0.1:9000", capacity: 1TiB}
            - {id: p2, domain: n2, tier: hot, endpoint: "http://10.0.0.2:9000", capacity: 1TiB}
          """);

  static NodeFacts node(String name, String... labels) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return new NodeFacts(name, map, null, null);
  }

  static NodeFacts placed(String name, String site, String room, String rack) {
    return node(
        name,
        "topology.kubernetes.io/region",
        "east",
        "topology.kubernetes.io/zone",
        site,
        "strata.io/room",
        room,
        "strata.io/rack",
        rack,
        "strata.io/storage-node",
        "true");
  }

  @Test
  void nodesWithLabelsBecomeTheTreeAndPoolsKeepTheirNodes() {
    NodeTopology.Proposal p =
        NodeTopology.propose(
            SEED,
            List.of(
                placed("n1", "site-a", "room-1", "r01"), placed("n2", "site-a", "room-2", "r02")),
            LABELS,
            null);

    assertThat(p.problems()).isEmpty();
    ClusterMap map = p.map();
    assertThat(map.epoch()).isEqualTo(SEED.epoch() + 1);
    assertThat(map.domains().get("n1").parent()).isEqualTo("r01");
    assertThat(map.domains().get("r01")).isEqualTo(domain("r01", DomainLevel.RACK, "room-1"));
    assertThat(map.domains().get("room-2").parent()).isEqualTo("site-a");
    assertThat(map.domains().get("site-a")).isEqualTo(domain("site-a", DomainLevel.SITE, "east"));
    assertThat(map.ancestor(map.pools().get("p2"), DomainLevel.ROOM).orElseThrow().id())
        .isEqualTo("room-2");
    assertThat(map.pools()).isEqualTo(SEED.pools());
  }

  private static Domain domain(String id, DomainLevel level, String parent) {
    return new Domain(id, level, parent, Map.of(), DomainState.UP);
  }

  @Test
  void theSameLabelsGiveTheSameTreeAndAChangedOneAnother() {
    List<NodeFacts> nodes =
        List.of(placed("n1", "site-a", "room-1", "r01"), placed("n2", "site-a", "room-2", "r02"));
    ClusterMap first = NodeTopology.propose(SEED, nodes, LABELS, null).map();
    ClusterMap again = NodeTopology.propose(first, nodes, LABELS, null).map();
    assertThat(again.atEpoch(first.epoch())).isEqualTo(first);

    ClusterMap moved =
        NodeTopology.propose(
                first, List.of(nodes.get(0), placed("n2", "site-a", "room-1", "r03")), LABELS, null)
            .map();
    assertThat(moved.atEpoch(first.epoch())).isNotEqualTo(first);
    assertThat(moved.domains().get("n2").parent()).isEqualTo("r03");
    assertThat(moved.domains()).doesNotContainKeys("r02", "room-2");
  }

  @Test
  void aLabelThatNamesNoLevelIsReportedWithTheNodeAndTheNodeStaysWhereItWas() {
    ClusterMap first =
        NodeTopology.propose(
                SEED,
                List.of(
                    placed("n1", "site-a", "room-1", "r01"),
                    placed("n2", "site-a", "room-2", "r02")),
                LABELS,
                null)
            .map();
    NodeFacts misspelt =
        node(
            "n2",
            "topology.kubernetes.io/region",
            "east",
            "topology.kubernetes.io/zone",
            "site-a",
            "strata.io/room",
            "room-1",
            "strata.io/rak",
            "r09");

    NodeTopology.Proposal p =
        NodeTopology.propose(
            first, List.of(placed("n1", "site-a", "room-1", "r01"), misspelt), LABELS, null);

    assertThat(p.problems())
        .singleElement()
        .asString()
        .contains("node 'n2'", "strata.io/rak", "names no level");
    assertThat(p.held()).containsExactly("n2");
    assertThat(p.map().atEpoch(first.epoch())).isEqualTo(first);
  }

  @Test
  void aRackInTwoRoomsIsReportedWithTheNodeThatMovedItAndChangesNothing() {
    ClusterMap first =
        NodeTopology.propose(
                SEED,
                List.of(
                    placed("n1", "site-a", "room-1", "r01"),
                    placed("n2", "site-a", "room-1", "r01")),
                LABELS,
                null)
            .map();

    NodeTopology.Proposal p =
        NodeTopology.propose(
            first,
            List.of(
                placed("n1", "site-a", "room-1", "r01"), placed("n2", "site-a", "room-2", "r01")),
            LABELS,
            null);

    assertThat(p.problems())
        .singleElement()
        .asString()
        .contains("node 'n2'", "rack 'r01'", "room-2", "node 'n1'", "room-1");
    assertThat(p.map().atEpoch(first.epoch())).isEqualTo(first);
  }

  @Test
  void aNewRackInTwoRoomsHoldsEveryNodeThatNamesIt() {
    ClusterMap first =
        NodeTopology.propose(
                SEED,
                List.of(
                    placed("n1", "site-a", "room-1", "r01"),
                    placed("n2", "site-a", "room-1", "r01")),
                LABELS,
                null)
            .map();

    NodeTopology.Proposal p =
        NodeTopology.propose(
            first,
            List.of(
                placed("n1", "site-a", "room-1", "r07"), placed("n2", "site-a", "room-2", "r07")),
            LABELS,
            null);

    assertThat(p.held()).containsExactlyInAnyOrder("n1", "n2");
    assertThat(p.map().atEpoch(first.epoch())).isEqualTo(first);
  }

  @Test
  void aNodeWithoutRegionIsReported() {
    NodeTopology.Proposal p =
        NodeTopology.propose(
            SEED,
            List.of(placed("n1", "site-a", "room-1", "r01"), node("n2", "strata.io/rack", "r02")),
            LABELS,
            null);

    assertThat(p.problems())
        .singleElement()
        .asString()
        .contains("node 'n2' has no region label (topology.kubernetes.io/region)");
    assertThat(p.map().domains().get("n2").parent()).as("where the map had it").isEqualTo("east");
  }

  @Test
  void aCordonedNodeIsDrainingWhenCordonsArePlannedDrainsAndUpAgainWhenUncordoned() {
    List<NodeFacts> nodes =
        List.of(placed("n1", "site-a", "room-1", "r01"), placed("n2", "site-a", "room-2", "r02"));
    ClusterMap drained = NodeTopology.propose(SEED, nodes, LABELS, Set.of("n1")).map();
    assertThat(drained.effectiveState(drained.pools().get("p1"))).isEqualTo(DomainState.DRAINING);
    assertThat(drained.effectiveState(drained.pools().get("p2"))).isEqualTo(DomainState.UP);

    ClusterMap back = NodeTopology.propose(drained, nodes, LABELS, Set.of()).map();
    assertThat(back.effectiveState(back.pools().get("p1"))).isEqualTo(DomainState.UP);
  }

  @Test
  void aTreeThatIsNotAValidMapIsRefusedWhole() {
    // A rack named like a pool: the topology file's validation refuses the id used twice.
    NodeTopology.Proposal p =
        NodeTopology.propose(
            SEED,
            List.of(
                placed("n1", "site-a", "room-1", "p2"), placed("n2", "site-a", "room-2", "r02")),
            LABELS,
            null);

    assertThat(p.map()).isNull();
    assertThat(p.problems()).anySatisfy(m -> assertThat(m).contains("kubernetes nodes", "p2"));
  }
}
