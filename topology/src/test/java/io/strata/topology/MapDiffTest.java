package io.strata.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.MapDiff.Change;
import io.strata.topology.MapDiff.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapDiffTest {
  private final ClusterMap demo = DemoTopology.map();

  @Test
  void sameMapAtAnotherEpochHasNoChanges() {
    MapDiff diff = MapDiff.between(demo, demo.atEpoch(4));
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.toEpoch()).isEqualTo(4);
  }

  @Test
  void addedRemovedAndChangedItemsAreListedWithTheirFields() {
    Pool hot = demo.pool("czzl-a-r01-hot").orElseThrow();
    ClusterMap next =
        demo.withPool(hot.withState(DomainState.OUT).withWeight(3))
            .withDomain(new Domain("czzl-a-r03", DomainLevel.RACK, "czzl-a-row1", null, null))
            .withoutPool("lytm-b-r02-warm")
            .withRemaps(List.of(new CopyRemap("ds/1", "czzl-b-r01-hot", "lytm-a-r01-hot")));
    MapDiff diff = MapDiff.between(demo, next);
    assertThat(diff.of("pool"))
        .containsExactly(
            new Change(
                Kind.CHANGED,
                "pool",
                "czzl-a-r01-hot",
                List.of("state: up -> out", "weight: " + hot.weight() + " -> 3.0")),
            new Change(Kind.REMOVED, "pool", "lytm-b-r02-warm", List.of()));
    assertThat(diff.of("domain"))
        .containsExactly(new Change(Kind.ADDED, "domain", "czzl-a-r03", List.of()));
    assertThat(diff.of("remap"))
        .containsExactly(new Change(Kind.ADDED, "remap", "ds/1:czzl-b-r01-hot", List.of()));
    assertThat(diff.fromEpoch()).isEqualTo(1);
    assertThat(diff.toEpoch()).isEqualTo(5);
  }

  @Test
  void slotChangeIsReported() {
    var slots = new java.util.LinkedHashMap<>(demo.slots());
    slots.put("czzl-a-r01-hot", 40);
    ClusterMap moved =
        ClusterMap.of(
            2,
            demo.tiers().values(),
            demo.domains().values(),
            demo.pools().values(),
            slots,
            List.of());
    assertThat(MapDiff.between(demo, moved).changes())
        .containsExactly(
            new Change(Kind.CHANGED, "pool", "czzl-a-r01-hot", List.of("slot: 0 -> 40")));
  }
}
