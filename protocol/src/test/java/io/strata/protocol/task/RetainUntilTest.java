package io.strata.protocol.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetainUntilTest {
  static final Instant A = Instant.parse("2026-08-17T16:00:00Z");
  static final Instant B = Instant.parse("2049-03-03T16:00:00Z");

  @Test
  void keysThatShareADateShareARunAndKeysWithoutOneRunToo() {
    List<String> keys = List.of("s1/i1", "s1/i2", "s1/i3", "s2/i1", "s3/i1", "s3/i2");
    Map<String, Instant> until = new HashMap<>();
    until.put("s1/i1", A);
    until.put("s1/i2", A);
    until.put("s1/i3", A);
    until.put("s3/i1", B);
    until.put("s3/i2", B);

    RetainUntil runs = RetainUntil.of(keys, until);

    assertThat(runs.runs())
        .containsExactly(
            new RetainUntil.Run(3, A.getEpochSecond()),
            new RetainUntil.Run(1, 0),
            new RetainUntil.Run(2, B.getEpochSecond()));
    assertThat(runs.byKey(keys)).isEqualTo(until);
  }

  @Test
  void aTaskWhoseKeysHaveNoDateCarriesNothing() {
    assertThat(RetainUntil.of(List.of("a", "b"), Map.of())).isNull();
  }

  @Test
  void runsThatDoNotCoverTheKeysExactlyAreRefused() {
    RetainUntil two = new RetainUntil(List.of(new RetainUntil.Run(2, A.getEpochSecond())));

    assertThatThrownBy(() -> two.byKey(List.of("a", "b", "c")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cover 2 of the task's 3 keys");
    assertThatThrownBy(() -> two.byKey(List.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than the task's 1 keys");
    assertThatThrownBy(() -> Task.copy("c", "d", KeyRange.ALL, "x", "y", 1).withRetainUntil(two))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
