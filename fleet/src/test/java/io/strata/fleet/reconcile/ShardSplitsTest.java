package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.task.ListedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardSplitsTest {
  private static ReconcileSettings thresholds(long objects, long bytes) {
    Duration d = Duration.ofSeconds(1);
    return new ReconcileSettings(
        d, d, d, d, 1, 1, 0.05, objects, bytes, d, 0, 1.05, d, 0, 0, 1, d, 0);
  }

  private static List<ListedObject> objects(int n, long size) {
    List<ListedObject> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new ListedObject(
              String.format(Locale.ROOT, "k%06d", i), size, Instant.EPOCH, "e", null, Map.of()));
    }
    return out;
  }

  @Test
  void aShardWithinBothThresholdsIsNotSplit() {
    assertThat(ShardSplits.keys(objects(100, 10), thresholds(100, 1000))).isEmpty();
  }

  @Test
  void aShardJustPastTheObjectThresholdIsHalved() {
    assertThat(ShardSplits.keys(objects(101, 10), thresholds(100, 1 << 30)))
        .containsExactly("k000050");
  }

  @Test
  void aShardFarPastTheThresholdIsCutAtOnceIntoAtMostSixtyFourPieces() {
    List<String> keys = ShardSplits.keys(objects(10_000, 1), thresholds(1000, 1 << 30));
    assertThat(keys).hasSize(19).contains("k000500", "k009500"); // Pieces of half the threshold.
    assertThat(ShardSplits.keys(objects(100_000, 1), thresholds(100, 1 << 30)))
        .hasSize(ShardSplits.MAX_PIECES - 1)
        .isSorted();
  }

  @Test
  void aShardOfFewLargeObjectsIsCutWhereTheBytesAreEven() {
    List<ListedObject> listing = new ArrayList<>(objects(4, 100));
    listing.addAll(objects(8, 1).subList(4, 8)); // k000004..k000007: 4 small objects.
    // 404 bytes past a 200-byte threshold: pieces of about 100 bytes, at the large objects.
    assertThat(ShardSplits.keys(listing, thresholds(1000, 200)))
        .containsExactly("k000001", "k000002", "k000003");
  }
}
