package io.strata.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PolicyDurationTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  void everyUnitParsesAndPrintsBack() {
    for (String text : new String[] {"36h", "90d", "2w", "6mo", "5y", "0d"}) {
      assertThat(PolicyDuration.parse(text)).hasToString(text);
    }
    assertThat(PolicyDuration.parse(" 90D ")).hasToString("90d");
  }

  @Test
  void otherFormsAreRefusedWithTheAllowedOnes() {
    for (String text : new String[] {"90", "d", "1.5y", "-1d", "90 days", "5m", ""}) {
      assertThatThrownBy(() -> PolicyDuration.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "'"
                  + text
                  + "' is not a duration; write a whole number followed by h, d, w, mo or y (36h,"
                  + " 90d, 5y)");
    }
  }

  @Test
  void yearsAreCalendarYearsInTheZone() {
    Instant leapDay = Instant.parse("2000-02-28T16:00:00Z"); // 2000-02-29 00:00 in Shanghai
    assertThat(PolicyDuration.parse("30y").addTo(leapDay, SHANGHAI))
        .isEqualTo(Instant.parse("2030-02-27T16:00:00Z"));
    assertThat(PolicyDuration.parse("36h").addTo(leapDay, SHANGHAI))
        .isEqualTo(Instant.parse("2000-03-01T04:00:00Z"));
  }

  @Test
  void spansOfDifferentUnitsCompareByAverageLength() {
    assertThat(PolicyDuration.parse("90d").isShorterThan(PolicyDuration.parse("5y"))).isTrue();
    assertThat(PolicyDuration.parse("360mo").compareTo(PolicyDuration.parse("30y"))).isZero();
    assertThat(PolicyDuration.parse("10957d").isShorterThan(PolicyDuration.parse("30y"))).isTrue();
    assertThat(PolicyDuration.parse("10958d").isShorterThan(PolicyDuration.parse("30y"))).isFalse();
  }

  @Test
  void aThousandYearsIsTheLongestSpan() {
    assertThat(PolicyDuration.parse("1000y")).hasToString("1000y");
    assertThatThrownBy(() -> PolicyDuration.parse("12001mo"))
        .hasMessage("'12001mo' is not between 0 and 1000y");
  }
}
