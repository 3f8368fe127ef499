package io.strata.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {
  private static final List<String> IDS = List.of("pool-1", "pool-2", "pool-3", "other");

  @Test
  void answersThePageOfWhatTheFilterKeepsAndCountsAllThatMatched() {
    int[] total = new int[1];
    assertThat(Page.of("1", "1").of(IDS, id -> Page.contains("POOL", id), total))
        .containsExactly("pool-2");
    assertThat(total[0]).isEqualTo(3);
  }

  @Test
  void withoutOffsetAndLimitAnswersEverything() {
    int[] total = new int[1];
    assertThat(Page.of(null, null).of(IDS, id -> true, total)).isEqualTo(IDS);
    assertThat(Page.of("10", null).of(IDS, id -> true, total)).isEmpty();
  }

  @Test
  void refusesAnOffsetOrLimitThatIsNotAWholeNumberInRangeNamingIt() {
    for (String[] bad : new String[][] {{"x", null}, {"-1", null}, {null, "0"}, {null, "10001"}}) {
      assertThatThrownBy(() -> Page.of(bad[0], bad[1]))
          .isInstanceOfSatisfying(
              WebApplicationException.class,
              e -> {
                assertThat(e.getResponse().getStatus()).isEqualTo(422);
                ErrorMessage body = (ErrorMessage) e.getResponse().getEntity();
                assertThat(body.message())
                    .startsWith("query parameter " + (bad[0] != null ? "offset" : "limit"));
              });
    }
  }

  @Test
  void anIfNoneMatchNamesATagWeakOrStrongOrStar() {
    assertThat(ConditionalGetFilter.names("\"a\", W/\"b\"", "\"b\"")).isTrue();
    assertThat(ConditionalGetFilter.names("*", "\"b\"")).isTrue();
    assertThat(ConditionalGetFilter.names("\"a\"", "\"b\"")).isFalse();
  }
}
