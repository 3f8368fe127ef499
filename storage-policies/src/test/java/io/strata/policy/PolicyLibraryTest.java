package io.strata.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.parse.PolicyError;
import io.strata.policy.parse.PolicyLoadResult;
import io.strata.policy.parse.PolicyLoader;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.DemoTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyLibraryTest {
  @Test
  void everyBundledPolicyValidatesAgainstTheDemoTopology() {
    var result = PolicyLibrary.load(DemoTopology.map());
    assertThat(result.errors()).extracting(PolicyError::toString).isEmpty();
    assertThat(result.policies()).hasSize(PolicyLibrary.NAMES.size());
  }

  @Test
  void theListOfNamesMatchesThePoliciesFolder() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("policies"))) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".yaml"))
                  .map(n -> n.substring(0, n.length() - ".yaml".length())))
          .containsExactlyInAnyOrderElementsOf(PolicyLibrary.NAMES);
    }
  }

  @Test
  void theJarCopyOfEachPolicyIsTheFolderCopy() throws IOException {
    for (String name : PolicyLibrary.NAMES) {
      assertThat(PolicyLibrary.source(name).orElseThrow().text())
          .isEqualTo(Files.readString(Path.of("policies", name + ".yaml")));
    }
  }

  /** The 1-based number of the first line matching the regular expression. */
  private static int lineMatching(String text, String regex) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(regex)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException(regex + " matches no line");
  }

  private static String replaceOnLine(String text, int line, String old, String replacement) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    String before = lines.get(line - 1);
    assertThat(before).contains(old);
    lines.set(line - 1, before.replaceFirst(Pattern.quote(old), replacement));
    return String.join("\n", lines) + "\n";
  }

  @ParameterizedTest
  @MethodSource("names")
  void aBundledPolicyWithAnUnknownTierIsRejectedAtThatPhase(String name) {
    PolicySource source = PolicyLibrary.source(name).orElseThrow();
    int line = lineMatching(source.text(), "\\s+0d:.*");
    String tier =
        source.text().lines().toList().get(line - 1).replaceAll(".*?([a-z]+-[a-z]+).*", "$1");
    String broken = replaceOnLine(source.text(), line, tier, "tape-robot");
    PolicyLoadResult r =
        PolicyLoader.load(List.of(new PolicySource(source.file(), broken)), DemoTopology.map());
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo(name + ".yaml");
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.column()).isEqualTo(3);
              assertThat(e.field()).isEqualTo("phases.0d");
              assertThat(e.message()).contains("tier 'tape-robot' is unknown");
            });
  }

  @ParameterizedTest
  @MethodSource("names")
  void aBundledPolicyWithAShortRetentionIsRejectedAtTheMinimum(String name) {
    PolicySource source = PolicyLibrary.source(name).orElseThrow();
    int line = lineMatching(source.text(), "\\s+minimum: .*");
    String broken =
        replaceOnLine(source.text(), line, "minimum: ", "minimum: 0d #")
            .replaceFirst("recordClass: \\S+", "recordClass: inpatient");
    PolicyLoadResult r =
        PolicyLoader.load(List.of(new PolicySource(source.file(), broken)), DemoTopology.map());
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.field()).isEqualTo("retention.minimum");
              assertThat(e.message()).startsWith("0d is shorter than the legal minimum 30y");
            });
  }

  @ParameterizedTest
  @MethodSource("names")
  void aBundledPolicyWithAMisspeltKeyIsRejectedAtThatKey(String name) {
    PolicySource source = PolicyLibrary.source(name).orElseThrow();
    int line = lineMatching(source.text(), "phases:.*");
    String broken = replaceOnLine(source.text(), line, "phases:", "phase:");
    List<String> errors =
        PolicyLoader.load(List.of(new PolicySource(source.file(), broken)), DemoTopology.map())
            .errors()
            .stream()
            .map(PolicyError::toString)
            .toList();
    assertThat(errors)
        .contains(
            name
                + ".yaml:"
                + line
                + ":1: phase: unknown key 'phase'; did you mean 'phases'? allowed: policy,"
                + " description, datasets, prefixes, select, recordClass, timeZone, age, phases,"
                + " retention, expiry, movement, encryption");
  }

  static List<String> names() {
    return PolicyLibrary.NAMES;
  }

  @Test
  void anUnknownNameFindsNothing() {
    assertThat(PolicyLibrary.source("no-such-policy")).isEmpty();
  }
}
