package io.strata.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS = List.of("retention", "recordClass", "expiry");

  @Test
  void upToTwoEditsAwayIsSuggested() {
    assertThat(Suggestions.closest("retension", KEYS)).contains("retention");
    assertThat(Suggestions.closest("recordclass", KEYS)).contains("recordClass");
    assertThat(Suggestions.closest("expirey", KEYS)).contains("expiry");
    assertThat(Suggestions.closest("exp", KEYS)).isEmpty();
  }

  @Test
  void distanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(Suggestions.distance("kitten", "sitting", 10)).isEqualTo(3);
    assertThat(Suggestions.distance("kitten", "sitting", 2)).isEqualTo(2);
    assertThat(Suggestions.distance("", "ab", 10)).isEqualTo(2);
  }
}
