package io.strata.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyCliTest {
  private static final Path RESOURCES = Path.of("src/test/resources/io/strata/policy/cli");
  private static final Path EXPLAIN = RESOURCES.resolve("explain");

  /** The outcome of one run. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        PolicyCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The 1-based number of the first line of a file that starts with {@code prefix}. */
  private static int lineOf(Path file, String prefix) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException(prefix + " is not in " + file);
  }

  static Stream<String> explainCases() throws IOException {
    try (Stream<Path> files = Files.list(EXPLAIN)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".args"))
          .map(n -> n.substring(0, n.length() - ".args".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  /** Each {@code explain/NAME.args} (one argument a line) prints exactly {@code NAME.txt}. */
  @ParameterizedTest
  @MethodSource("explainCases")
  void explainPrintsTheExpectedText(String name) throws IOException {
    List<String> args = new ArrayList<>(List.of("explain"));
    args.addAll(Files.readAllLines(EXPLAIN.resolve(name + ".args")));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(Files.readString(EXPLAIN.resolve(name + ".txt")));
  }

  @Test
  void thereAreExplainCasesToCompare() throws IOException {
    assertThat(explainCases()).hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  void validateAcceptsTheLibraryAgainstTheDemoTopology() throws IOException {
    String[] files;
    try (Stream<Path> s = Files.list(Path.of("policies"))) {
      files = s.map(Path::toString).sorted().toArray(String[]::new);
    }
    String[] args = new String[files.length + 1];
    args[0] = "validate";
    System.arraycopy(files, 0, args, 1, files.length);
    Run r = run(args);
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(PolicyCli.OK);
    assertThat(r.out())
        .isEqualTo(
            "6 policy file(s) valid against the topology at epoch 1: audit-trail, genomics,"
                + " imaging-archive, inpatient-records, outpatient-records, strata-system\n");
  }

  @Test
  void validateReportsEveryErrorAsFileLineColumn(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        Files.readString(Path.of("policies/genomics.yaml"))
            .replace("recordClass: none", "recordClas: none")
            .replace("30d: warm-hdd", "30d: tape"));
    Run r = run("validate", bad.toString());
    assertThat(r.code()).isEqualTo(PolicyCli.INVALID);
    assertThat(r.out()).isEmpty();
    int top = lineOf(bad, "policy:");
    int misspelt = lineOf(bad, "recordClas:");
    assertThat(r.err().lines())
        .containsExactly(
            bad + ":" + top + ":1: recordClass: missing; a policy needs recordClass",
            bad
                + ":"
                + misspelt
                + ":1: recordClas: unknown key 'recordClas'; did you mean 'recordClass'?"
                + " allowed: policy, description, datasets, prefixes, select, recordClass,"
                + " timeZone, age, phases, retention, expiry, movement, encryption",
            "2 error(s) in 1 file(s)");
  }

  @Test
  void validateChecksAgainstAGivenTopology() throws IOException {
    Path imaging = Path.of("policies/imaging-archive.yaml");
    int warm = lineOf(imaging, "  90d:");
    int cold = lineOf(imaging, "  5y:");
    Run r =
        run(
            "validate",
            "--topology",
            RESOURCES.resolve("one-site-topology.yaml").toString(),
            "policies/imaging-archive.yaml");
    assertThat(r.code()).isEqualTo(PolicyCli.INVALID);
    assertThat(r.err().lines())
        .containsExactly(
            imaging
                + ":"
                + warm
                + ":3: phases.90d: 1 × warm-hdd + 1 × cold-archive"
                + " spread site cannot be placed on the cluster map (epoch 1): spread: site needs"
                + " 2 distinct sites for tiers warm-hdd and cold-archive, map has 1",
            imaging
                + ":"
                + cold
                + ":3: phases.5y: 2 × cold-archive spread site cannot"
                + " be placed on the cluster map (epoch 1): spread: site needs 2 sites with tier"
                + " cold-archive, map has 1",
            "2 error(s) in 1 file(s)");
  }

  @Test
  void anInvalidTopologyIsReportedAndFailsValidation() {
    Run r =
        run(
            "validate",
            "--topology",
            RESOURCES.resolve("broken-topology.yaml").toString(),
            "policies/genomics.yaml");
    assertThat(r.code()).isEqualTo(PolicyCli.INVALID);
    assertThat(r.err()).contains("level 'continent' is not one of region, site");
    Run missing = run("validate", "--topology", "no-such-topology.yaml", "policies/genomics.yaml");
    assertThat(missing.code()).isEqualTo(PolicyCli.INVALID);
    assertThat(missing.err())
        .isEqualTo("no-such-topology.yaml: cannot read the topology: NoSuchFileException\n");
  }

  @Test
  void explainRefusesAnInvalidPolicyWithItsErrors(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("short.yaml");
    Files.writeString(
        bad, Files.readString(Path.of("policies/imaging-archive.yaml")).replace("30y", "3y"));
    Run r = run("explain", "--policy", bad.toString(), "--key", "k", "--at", "2025-01-15");
    assertThat(r.code()).isEqualTo(PolicyCli.INVALID);
    assertThat(r.err())
        .startsWith(
            bad + ":" + lineOf(bad, "  minimum:") + ":12: retention.minimum: 3y is shorter than");
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    Run r = run("--help");
    assertThat(r.code()).isEqualTo(PolicyCli.OK);
    assertThat(r.out()).startsWith("usage: strata policy validate");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void usageErrorsPrintTheProblemAndUsageAndExitTwo() {
    String[][] cases = {
      {},
      {"apply", "x.yaml"},
      {"validate"},
      {"validate", "--strict", "x.yaml"},
      {"validate", "x.yaml", "--topology"},
      {"explain", "--policy", "genomics", "--key", "k"},
      {"explain", "--policy", "genomics", "--key", "k", "--at", "soon"},
      {"explain", "--policy", "no-such", "--key", "k", "--at", "2025-01-15"},
      {"explain", "--policy", "genomics", "--key", "k", "--at", "2025-01-15", "--size", "big"},
      {"explain", "--policy", "genomics", "--key", "k", "--at", "2025-01-15", "--metadata", "x"},
      {"explain", "--policy", "genomics", "--policy", "genomics", "--key", "k", "--at", "2025"},
      {"explain", "--policy", "genomics", "--key", "k", "--at", "2025-01-15", "extra"},
    };
    String[] problems = {
      "strata policy: no command given",
      "strata policy: unknown command 'apply'; commands: validate, explain",
      "strata policy: validate: name at least one policy file",
      "strata policy: validate: unknown option --strict; allowed: --topology",
      "strata policy: validate: --topology needs a value",
      "strata policy: explain: --at is required",
      "strata policy: --at 'soon' is not a time; write 2025-01-15T03:00:00Z,"
          + " 2025-01-15T11:00+08:00 or 2025-01-15",
      "strata policy: explain: --policy 'no-such' is neither a file nor a bundled policy"
          + " (imaging-archive, inpatient-records, outpatient-records, genomics, audit-trail,"
          + " strata-system)",
      "strata policy: explain: --size 'big' is not a size; write a number with B, KiB, MiB, GiB,"
          + " TiB, PiB or KB..PB",
      "strata policy: explain: --metadata 'x' is not FIELD=VALUE",
      "strata policy: explain: --policy is given 2 times; give it once",
      "strata policy: explain: unexpected argument 'extra'",
    };
    for (int i = 0; i < cases.length; i++) {
      Run r = run(cases[i]);
      assertThat(r.code()).as(String.join(" ", cases[i])).isEqualTo(PolicyCli.USAGE);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines().findFirst()).contains(problems[i]);
      assertThat(r.err()).contains("usage: strata policy validate");
    }
  }
}
