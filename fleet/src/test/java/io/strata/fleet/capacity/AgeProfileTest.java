package io.strata.fleet.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgeProfileTest {
  /** Two hot copies for 90 days, then one cold copy for good. */
  static final PhaseFlow HOT_90 =
      new PhaseFlow(
          new int[] {0, 90}, List.of(Map.of("hot", 2), Map.of("cold", 1)), Integer.MAX_VALUE);

  @Test
  void agesHaveADayEachForFourMonthsThenAnEighthOfEachDoublingAndTheLastIsOpen() {
    assertThat(AgeProfile.BUCKETS).isEqualTo(193);
    assertThat(AgeProfile.bucket(-3)).isZero();
    assertThat(AgeProfile.bucket(80)).isEqualTo(80);
    assertThat(AgeProfile.bucket(127)).isEqualTo(127);
    // 128..255 in buckets of 16 days.
    assertThat(AgeProfile.bucket(128)).isEqualTo(128);
    assertThat(AgeProfile.bucket(143)).isEqualTo(128);
    assertThat(AgeProfile.bucket(144)).isEqualTo(129);
    assertThat(AgeProfile.bucket(255)).isEqualTo(135);
    // Five years, 1,826 days: in 1,792..2,047, of the buckets of 128 days from 1,024.
    assertThat(AgeProfile.bucket(1826)).isEqualTo(128 + 3 * 8 + 6);
    assertThat(AgeProfile.start(128 + 3 * 8 + 6)).isEqualTo(1792);
    assertThat(AgeProfile.end(128 + 3 * 8 + 6)).isEqualTo(1920);
    assertThat(AgeProfile.bucket(32_767)).isEqualTo(191);
    assertThat(AgeProfile.bucket(1_000_000)).isEqualTo(192);
    for (int b = 0; b < AgeProfile.BUCKETS; b++) {
      assertThat(AgeProfile.bucket(AgeProfile.start(b))).isEqualTo(b);
      assertThat(AgeProfile.bucket(AgeProfile.end(b) - 1)).isEqualTo(b);
    }
  }

  @Test
  void agingMovesDailyAgesExactlyAndSpreadsAWideBucketWithoutLosingAByte() {
    long[] profile = AgeProfile.add(AgeProfile.add(new long[0], 80, 100), 200, 1_600);

    long[] later = AgeProfile.aged(profile, 10);

    assertThat(later[90]).isEqualTo(100);
    // 192..207 moved on 10 days: 202..217, six days in 192..207 and ten in 208..223.
    assertThat(later[AgeProfile.bucket(200)]).isEqualTo(600);
    assertThat(later[AgeProfile.bucket(210)]).isEqualTo(1_000);
    assertThat(AgeProfile.total(later)).isEqualTo(1_700);
  }

  @Test
  void bytesWrittenSinceAProfileCountAtAgeZeroAndDeletionsScaleItDown() {
    long[] profile = AgeProfile.add(AgeProfile.add(new long[0], 3, 300), 50, 100);

    assertThat(AgeProfile.reconciled(profile, 450)[0]).isEqualTo(50);
    long[] shrunk = AgeProfile.reconciled(profile, 200);
    assertThat(shrunk[3]).isEqualTo(150);
    assertThat(shrunk[50]).isEqualTo(50);
  }

  @Test
  void aStockKeepsItsCopiesOnATierUntilItsAgeLeavesThePhase() {
    long[] stock = AgeProfile.add(new long[0], 80, 100);

    assertThat(AgeProfile.onTier(stock, HOT_90, "hot", 0)).isEqualTo(200);
    assertThat(AgeProfile.onTier(stock, HOT_90, "hot", 9)).isEqualTo(200);
    assertThat(AgeProfile.onTier(stock, HOT_90, "hot", 10)).isZero();
    assertThat(AgeProfile.onTier(stock, HOT_90, "cold", 10)).isEqualTo(100);
    // A bucket of 16 days (144..159) leaves a phase ending at 150 a sixteenth a day.
    PhaseFlow hot150 =
        new PhaseFlow(new int[] {0, 150}, List.of(Map.of("hot", 1), Map.of("cold", 1)), 10_000);
    long[] wide = AgeProfile.add(new long[0], 144, 1_600);
    assertThat(AgeProfile.onTier(wide, hot150, "hot", 0)).isCloseTo(600, within(1e-9));
    assertThat(AgeProfile.onTier(wide, hot150, "hot", 3)).isCloseTo(300, within(1e-9));
    assertThat(AgeProfile.onTier(wide, hot150, "hot", 6)).isZero();
  }
}
