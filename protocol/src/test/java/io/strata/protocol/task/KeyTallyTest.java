package io.strata.protocol.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyTallyTest {

  @Test
  void countsEveryStatusAndNamesOnlyThoseThatNeedALook() {
    KeyTally tally = new KeyTally();

    tally.add(KeyOutcome.of("a", KeyStatus.COPIED, 10, "00"));
    tally.add(KeyOutcome.of("b", KeyStatus.COPIED, 5, "01"));
    tally.add(KeyOutcome.of("c", KeyStatus.ALREADY_PRESENT, 7, "02"));
    tally.add(KeyOutcome.because("d", KeyStatus.FAILED, "pool refused"));

    assertThat(tally.counts())
        .containsOnly(
            entry(KeyStatus.COPIED, new KeyTally.Count(2, 15)),
            entry(KeyStatus.ALREADY_PRESENT, new KeyTally.Count(1, 7)),
            // An unknown size (-1) adds no bytes.
            entry(KeyStatus.FAILED, new KeyTally.Count(1, 0)));
    assertThat(tally.named()).extracting(KeyOutcome::key).containsExactly("d");
    assertThat(tally.keys()).isEqualTo(4);
  }

  @Test
  void namesTheFirstKeysInListingOrderWhateverOrderTheyArriveIn() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      keys.add(String.format("k%02d", i));
    }
    // Ordered by code point, as S3 lists: U+1F600 (a surrogate pair in UTF-16) sorts after U+FFFD.
    keys.add("k\uFFFD");
    keys.add("k\uD83D\uDE00");
    List<String> arrival = new ArrayList<>(keys);
    Collections.shuffle(arrival, new Random(7));
    KeyTally tally = new KeyTally(3);

    arrival.forEach(k -> tally.add(KeyOutcome.because(k, KeyStatus.MISSING, "gone")));
    arrival.forEach(k -> tally.add(KeyOutcome.because(k, KeyStatus.FAILED, "refused")));

    assertThat(tally.counts())
        .containsOnly(
            entry(KeyStatus.MISSING, new KeyTally.Count(52, 0)),
            entry(KeyStatus.FAILED, new KeyTally.Count(52, 0)));
    assertThat(tally.named())
        .extracting(o -> o.status() + " " + o.key())
        .containsExactly(
            "MISSING k00", "MISSING k01", "MISSING k02", "FAILED k00", "FAILED k01", "FAILED k02");
  }

  @Test
  void keysAreOrderedByCodePointAsS3ListsThemNotByUtf16Units() {
    KeyTally tally = new KeyTally(2);

    tally.add(KeyOutcome.because("k\uD83D\uDE00", KeyStatus.MISSING, "gone"));
    tally.add(KeyOutcome.because("k\uFFFD", KeyStatus.MISSING, "gone"));
    tally.add(KeyOutcome.because("k\uFFFF", KeyStatus.MISSING, "gone"));

    assertThat(tally.named()).extracting(KeyOutcome::key).containsExactly("k\uFFFD", "k\uFFFF");
  }
}
