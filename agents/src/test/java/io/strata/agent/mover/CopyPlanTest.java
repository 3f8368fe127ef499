package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.task.ListedObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyPlanTest {

  static ListedObject o(String key, long size, String sha) {
    return new ListedObject(key, size, null, "etag-" + key, sha);
  }

  @Test
  void planJoinsListingsAndDecidesPerKey() {
    List<CopyPlan.Item> plan =
        CopyPlan.plan(
            List.of(o("a", 1, "s"), o("b", 2, null), o("c", 3, "s"), o("d", 4, "x")),
            List.of(
                o("0", 9, null), o("a", 1, "s"), o("b", 2, "t"), o("d", 4, "y"), o("e", 1, null)));

    assertThat(plan)
        .extracting(CopyPlan.Item::decision)
        .containsExactly(
            CopyPlan.Decision.PRESENT,
            CopyPlan.Decision.CHECK_TARGET,
            CopyPlan.Decision.COPY,
            CopyPlan.Decision.COPY);
  }

  @Test
  void differentSizeMeansCopy() {
    assertThat(CopyPlan.decide(o("a", 1, "s"), o("a", 2, "s"))).isEqualTo(CopyPlan.Decision.COPY);
  }

  @Test
  void unsortedListingIsRejected() {
    assertThatThrownBy(() -> CopyPlan.plan(List.of(o("b", 1, null), o("a", 1, null)), List.of()))
        .hasMessageContaining("not in key order");
  }
}
