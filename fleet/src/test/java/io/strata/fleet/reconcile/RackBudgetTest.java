package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.Task;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RackBudgetTest {
  static final ClusterMap MAP = DemoTopology.map();

  static String rackOf(Pool pool) {
    return MAP.ancestor(pool, DomainLevel.RACK).orElseThrow().id();
  }

  @Test
  void aCopyGoesThroughTheRacksOfItsSourceAndItsTarget() {
    List<Pool> pools = List.copyOf(MAP.pools().values());
    Pool source = pools.get(0);
    Pool target =
        pools.stream().filter(p -> !rackOf(p).equals(rackOf(source))).findFirst().orElseThrow();
    RackBudget budget = RackBudget.of(1 << 30, () -> MAP);

    assertThat(
            budget.racksOf().apply(Task.copy("c", "ds", KeyRange.ALL, source.id(), target.id(), 1)))
        .containsExactlyInAnyOrder(rackOf(source), rackOf(target));
    assertThat(budget.racksOf().apply(Task.scan("s", "ds", KeyRange.ALL, source.id(), 1)))
        .as("a scan moves nothing between pools")
        .isEmpty();
    assertThat(budget.racksOf().apply(Task.copy("c", "ds", KeyRange.ALL, "gone", target.id(), 1)))
        .as("a pool no longer in the map")
        .containsExactly(rackOf(target));
  }

  @Test
  void noLimitIsNoBudget() {
    assertThat(RackBudget.of(0, () -> MAP)).isSameAs(RackBudget.NONE);
    assertThat(RackBudget.NONE.racksOf().apply(Task.copy("c", "ds", KeyRange.ALL, "a", "b", 1)))
        .isEqualTo(Set.of());
  }
}
