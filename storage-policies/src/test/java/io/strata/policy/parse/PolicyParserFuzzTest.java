package io.strata.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.PolicyLibrary;
import io.strata.topology.ClusterMap;
import io.strata.topology.DemoTopology;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser and loader meet arbitrary input without throwing: whatever the text, the answer is
 * policies or errors with positions inside the file. Bounded to a few thousand inputs per property
 * so the suite stays fast.
 */
class PolicyParserFuzzTest {
  private static final ClusterMap MAP = DemoTopology.map();
  private static final List<String> SEEDS =
      PolicyLibrary.sources().stream().map(PolicySource::text).toList();

  /** Characters and fragments that mean something to YAML or to the policy format. */
  private static final List<String> FRAGMENTS =
      List.of(
          ":",
          " ",
          "\n",
          "  ",
          "-",
          "[",
          "]",
          "{",
          "}",
          ",",
          "'",
          "\"",
          "#",
          "&a ",
          "*a",
          "!!str ",
          "!!binary ",
          "? ",
          "|",
          ">",
          "%YAML 1.1\n",
          "---\n",
          "...\n",
          "\t",
          "~",
          "null",
          "×",
          "x",
          "0d",
          "90d",
          "5y",
          "99999999999y",
          "spread",
          "room",
          "site",
          "hot-nvme",
          "+",
          "*-imaging",
          "policy",
          "phases",
          "retention",
          "minimum",
          "override",
          "movement",
          "windows",
          "00:00-06:00",
          "500MB/s",
          "\u0000",
          "\uFEFF",
          "\uD83D\uDE00",
          "<<: *a\n");

  @Property(tries = 4000)
  void mutatedLibraryPoliciesNeverCrashTheLoader(@ForAll("mutated") String text) {
    checkNeverThrows(text);
  }

  @Property(tries = 4000)
  void randomTextNeverCrashesTheLoader(@ForAll("random") String text) {
    checkNeverThrows(text);
  }

  private static void checkNeverThrows(String text) {
    PolicyLoadResult r = PolicyLoader.load(List.of(new PolicySource("fuzz.yaml", text)), MAP);
    assertThat(r.isValid()).isEqualTo(r.errors().isEmpty());
    for (PolicyError e : r.errors()) {
      assertThat(e.file()).isEqualTo("fuzz.yaml");
      assertThat(e.line()).isBetween(1, text.split("\n", -1).length + 1);
      assertThat(e.column()).isPositive();
      assertThat(e.message()).isNotBlank();
    }
    if (r.isValid()) {
      assertThat(r.policies()).hasSize(1);
    }
  }

  @Provide
  Arbitrary<String> random() {
    return Arbitraries.of(FRAGMENTS).list().ofMaxSize(60).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> mutated() {
    Arbitrary<Mutation> mutation =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 40),
                Arbitraries.of(FRAGMENTS))
            .as(Mutation::new);
    return Combinators.combine(Arbitraries.of(SEEDS), mutation.list().ofMinSize(1).ofMaxSize(8))
        .as(
            (seed, mutations) -> {
              String text = seed;
              for (Mutation m : mutations) {
                text = m.apply(text);
              }
              return text;
            });
  }

  /** One edit at a relative position: delete, insert, duplicate a line, drop a line, swap. */
  private record Mutation(int kind, double where, int length, String fragment) {
    String apply(String text) {
      int at = (int) (where * text.length());
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      int line = Math.min((int) (where * lines.size()), lines.size() - 1);
      return switch (kind) {
        case 0 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + length));
        case 1 -> text.substring(0, at) + fragment + text.substring(at);
        case 2 -> {
          lines.add(line, lines.get(line));
          yield String.join("\n", lines);
        }
        case 3 -> {
          lines.remove(line);
          yield String.join("\n", lines);
        }
        default -> {
          if (line + 1 < lines.size()) {
            String t = lines.get(line);
            lines.set(line, lines.get(line + 1));
            lines.set(line + 1, t);
          }
          yield String.join("\n", lines);
        }
      };
    }
  }
}
