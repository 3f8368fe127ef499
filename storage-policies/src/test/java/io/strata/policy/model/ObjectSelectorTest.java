package io.strata.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectSelectorTest {
  private final ObjectSelector ctUnderStudies =
      new ObjectSelector(
          List.of("studies/"), Map.of("Modality", new LinkedHashSet<>(List.of("CT", "MR"))));

  @Test
  void fieldNamesIgnoreCaseAndValuesDoNot() {
    assertThat(ctUnderStudies.matches("studies/1", Map.of("MODALITY", "CT"))).isTrue();
    assertThat(ctUnderStudies.matches("studies/1", Map.of("modality", "ct"))).isFalse();
  }

  @Test
  void everyFailedConditionIsExplained() {
    assertThat(ctUnderStudies.mismatches("other/1", Map.of()))
        .containsExactly(
            "key 'other/1' starts with none of [studies/]",
            "metadata modality is missing; wanted one of [CT, MR]");
    assertThat(ctUnderStudies.mismatches("studies/1", Map.of("modality", "US")))
        .singleElement()
        .asString()
        .startsWith("metadata modality = US is not one of ");
  }

  @Test
  void theEmptySelectorTakesEverything() {
    assertThat(ObjectSelector.ALL.matches("any", Map.of())).isTrue();
    assertThat(ObjectSelector.ALL).hasToString("every object");
  }

  @Test
  void nestedPrefixesOverlapAndSiblingsDoNot() {
    ObjectSelector studies = new ObjectSelector(List.of("studies/"), Map.of());
    ObjectSelector ct = new ObjectSelector(List.of("studies/ct/"), Map.of());
    ObjectSelector legacy = new ObjectSelector(List.of("legacy/"), Map.of());
    assertThat(studies.overlaps(ct)).isTrue();
    assertThat(studies.overlaps(legacy)).isFalse();
    assertThat(legacy.overlaps(ObjectSelector.ALL)).isTrue();
  }
}
