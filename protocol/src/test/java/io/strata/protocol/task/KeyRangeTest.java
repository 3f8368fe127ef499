package io.strata.protocol.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyRangeTest {

  @Test
  void rangeIncludesStartAndExcludesEnd() {
    KeyRange range = new KeyRange("b", "d");

    assertThat(range.contains("b")).isTrue();
    assertThat(range.contains("c/zz")).isTrue();
    assertThat(range.contains("d")).isFalse();
    assertThat(range.contains("a")).isFalse();
  }

  @Test
  void emptyEndReachesTheEndOfTheKeySpace() {
    assertThat(new KeyRange("m", "").contains("\uD83D\uDE00")).isTrue();
    assertThat(KeyRange.ALL.contains("")).isTrue();
  }

  @Test
  void startMustBeBeforeEnd() {
    assertThatThrownBy(() -> new KeyRange("d", "b")).hasMessageContaining("[d, b)");
  }

  @Test
  void keysCompareByCodePointLikeS3NotByUtf16() {
    String supplementary = "\uD83D\uDE00";
    String highBmp = "\uFFFD";

    assertThat(KeyOrder.compare(highBmp, supplementary)).isNegative();
    assertThat(highBmp.compareTo(supplementary)).isPositive();
  }

  @Test
  void startAfterValueSortsJustBeforeTheStart() {
    String after = KeyOrder.startAfterFor("study/0042");

    assertThat(KeyOrder.compare(after, "study/0042")).isNegative();
    assertThat(KeyOrder.compare(after, "study/0041")).isPositive();
    assertThat(KeyOrder.compare(after, "study/0041/zzz")).isPositive();
    assertThat(KeyOrder.startAfterFor("")).isNull();
  }

  @Test
  void commonPrefixIsSharedByEveryKeyBetweenAndNeverSplitsASurrogatePair() {
    assertThat(KeyOrder.commonPrefix("studies/2021/a", "studies/2024/b")).isEqualTo("studies/202");
    assertThat(KeyOrder.commonPrefix("m/", "n/")).isEmpty();
    assertThat(KeyOrder.commonPrefix("a", "a")).isEqualTo("a");
    assertThat(KeyOrder.commonPrefix("ab", "a")).isEqualTo("a");
    // U+1F600 and U+1F601 share their high surrogate only.
    assertThat(KeyOrder.commonPrefix("x\uD83D\uDE00", "x\uD83D\uDE01")).isEqualTo("x");
  }
}
