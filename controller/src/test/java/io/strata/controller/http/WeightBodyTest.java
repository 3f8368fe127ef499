package io.strata.controller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

/**
 * The body of a weight change: anything but {@code {"weight": w}}, w finite and 0 or more, is
 * refused, so that a typo cannot set a pool's weight to 0 and empty it.
 */
class WeightBodyTest {

  @Test
  void takesAFiniteWeightOfZeroOrMore() {
    assertThat(OperatorResource.readWeight("{\"weight\": 2.5}").weight()).isEqualTo(2.5);
    assertThat(OperatorResource.readWeight("{\"weight\": 0}").weight()).isZero();
  }

  @Test
  void refusesAMisspeltOrMissingWeight() {
    assertThat(refused("{\"wieght\": 2}"))
        .contains("unknown field 'wieght'")
        .contains("line 1, column");
    assertThat(refused("{\"weight\": 2, \"extra\": 1}")).contains("unknown field 'extra'");
    assertThat(refused("{\"weight\": null}")).contains("it has no weight");
    assertThat(refused("{}")).contains("it has no weight");
    assertThat(refused("")).contains("it is empty");
  }

  @Test
  void refusesWeightsThatAreNotFiniteNumbersOfZeroOrMore() {
    assertThat(refused("{\"weight\": -1}")).contains("it has -1.0");
    assertThat(refused("{\"weight\": 1e309}")).contains("it has Infinity");
    assertThat(refused("{\"weight\": \"heavy\"}")).contains("line 1, column");
    assertThat(refused("[2]")).contains("must be {\"weight\": w}");
  }

  @Test
  void answers400ToABodyThatIsNotJson() {
    WebApplicationException e =
        catchThrowableOfType(
            WebApplicationException.class, () -> OperatorResource.readWeight("{\"weight\": "));
    assertThat(e.getResponse().getStatus()).isEqualTo(400);
    assertThat(((ErrorMessage) e.getResponse().getEntity()).message())
        .startsWith("the body is not JSON");
  }

  private static String refused(String body) {
    WebApplicationException e =
        catchThrowableOfType(
            WebApplicationException.class, () -> OperatorResource.readWeight(body));
    assertThat(e).as(body).isNotNull();
    assertThat(e.getResponse().getStatus()).as(body).isEqualTo(422);
    return ((ErrorMessage) e.getResponse().getEntity()).message();
  }
}
