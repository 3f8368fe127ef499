package io.strata.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
  @Test
  void aDaytimeWindowIncludesItsStartAndExcludesItsEnd() {
    TimeWindow w = TimeWindow.parse("00:00-06:00");
    assertThat(w.contains(LocalTime.of(0, 0))).isTrue();
    assertThat(w.contains(LocalTime.of(5, 59))).isTrue();
    assertThat(w.contains(LocalTime.of(6, 0))).isFalse();
  }

  @Test
  void aWindowPastMidnightWrapsAround() {
    TimeWindow w = TimeWindow.parse("22:00 – 02:30");
    assertThat(w).hasToString("22:00-02:30");
    assertThat(w.contains(LocalTime.of(23, 0))).isTrue();
    assertThat(w.contains(LocalTime.of(2, 29))).isTrue();
    assertThat(w.contains(LocalTime.of(12, 0))).isFalse();
  }

  @Test
  void midnightMayEndAWindow() {
    TimeWindow w = TimeWindow.parse("18:00-24:00");
    assertThat(w.contains(LocalTime.of(23, 59))).isTrue();
    assertThat(w.contains(LocalTime.of(0, 0))).isFalse();
  }

  @Test
  void impossibleTimesAreRefused() {
    assertThatThrownBy(() -> TimeWindow.parse("24:00-06:00"))
        .hasMessage("'24:00-06:00' has a time outside 00:00-23:59 (24:00 may end a window)");
    assertThatThrownBy(() -> TimeWindow.parse("00:00-24:00"))
        .hasMessage(
            "'00:00-24:00' starts and ends at the same time; leave out windows to move at any"
                + " time");
    assertThatThrownBy(() -> TimeWindow.parse("night"))
        .hasMessage(
            "'night' is not a time window; write HH:MM-HH:MM in 24-hour time, e.g. 00:00-06:00 or"
                + " 22:00-05:30");
  }
}
