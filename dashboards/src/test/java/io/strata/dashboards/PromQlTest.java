package io.strata.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void findsSelectorsWithTheirMatchersAndSkipsFunctionsAndGroupingLabels() {
    assertThat(
            PromQl.selectors(
                "sum by (tier) (rate(strata_moved_bytes_total{reason=~\"re}pair\"}[5m]))"
                    + " / on (tier) group_left (site) max without (instance) (up)"))
        .containsExactly("strata_moved_bytes_total{reason=~\"re}pair\"}", "up");
  }

  @Test
  void skipsKeywordsNumbersAndStrings() {
    assertThat(
            PromQl.selectors(
                "absent(strata_controller_leader == 1) or vector(0) and on () time() - 1e3"
                    + " unless label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\") offset 5m"))
        .containsExactly("strata_controller_leader", "x");
  }

  @Test
  void keepsRecordedNamesAndMatcherOnlySelectors() {
    assertThat(PromQl.selectors("tier:strata_pool_fill:ratio > {__name__=\"a\"}"))
        .containsExactly("tier:strata_pool_fill:ratio", "{__name__=\"a\"}");
    assertThat(PromQl.metricName("a_b{c=\"d\"}")).isEqualTo("a_b");
  }

  @Test
  void rejectsUnbalancedBrackets() {
    assertThatThrownBy(() -> PromQl.selectors("sum(rate(x[5m)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unbalanced");
  }
}
