package io.strata.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DatasetPatternTest {
  @Test
  void aSuffixGlobMatchesTheDemoDatasets() {
    DatasetPattern p = new DatasetPattern("*-imaging");
    assertThat(p.matches("h01-imaging")).isTrue();
    assertThat(p.matches("fz-h03-imaging")).isTrue();
    assertThat(p.matches("h01-imaging-old")).isFalse();
    assertThat(p.matches("imaging")).isFalse();
  }

  @Test
  void aNameMatchesOnlyItself() {
    assertThat(new DatasetPattern("strata-system").matches("strata-system")).isTrue();
    assertThat(new DatasetPattern("strata-system").matches("strata-systems")).isFalse();
  }

  @Test
  void charactersOutsideBucketNamesAreRefused() {
    assertThatThrownBy(() -> new DatasetPattern("H01_imaging"))
        .hasMessageStartingWith("'H01_imaging' is not a dataset name");
    assertThatThrownBy(() -> new DatasetPattern("a?")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overlapFindsASharedName() {
    assertThat(new DatasetPattern("*-imaging").overlaps(new DatasetPattern("h01-*"))).isTrue();
    assertThat(new DatasetPattern("*-imaging").overlaps(new DatasetPattern("*-records"))).isFalse();
    assertThat(new DatasetPattern("a*b*c").overlaps(new DatasetPattern("*bc"))).isTrue();
    assertThat(new DatasetPattern("a*").overlaps(new DatasetPattern("b*"))).isFalse();
  }

  /** Matching a name agrees with the equivalent regular expression. */
  @Property(tries = 500)
  void matchingAgreesWithARegularExpression(
      @ForAll("globs") String glob, @ForAll("names") String name) {
    String regex = Pattern.quote(glob).replace("*", "\\E.*\\Q");
    assertThat(new DatasetPattern(glob).matches(name)).isEqualTo(name.matches(regex));
  }

  @Provide
  Arbitrary<String> globs() {
    return Arbitraries.strings().withChars("ab-*").ofMinLength(1).ofMaxLength(6);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("ab-").ofMinLength(0).ofMaxLength(8);
  }
}
