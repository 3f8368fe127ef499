package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The project README quotes benchmark figures only from runs recorded in {@code bench/README.md}: a
 * figure line (a benchmark's last line, {@code name: key=value ...}) quoted in the one and not held
 * by the other is stale or was never measured.
 */
class ReadmeFiguresTest {
  /** A quoted figure line: a benchmark's name, a colon, then figures. */
  static final Pattern FIGURE_LINE =
      Pattern.compile(
          "`((?:placement|mover|reconcile|balance|heartbeats|capacity|forecast|fleet|ingest|console): [^`]*=[^`]*)`");

  static List<String> figureLines(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = FIGURE_LINE.matcher(markdown);
    while (m.find()) {
      if (!m.group(1).contains("<")) { // a format, not a figure
        out.add(m.group(1));
      }
    }
    return out;
  }

  @Test
  void everyFigureLineTheReadmeQuotesIsARecordedRun() throws Exception {
    // Maven runs the module's tests from bench/.
    String readme = Files.readString(Path.of("..", "README.md"));
    String recorded = Files.readString(Path.of("README.md"));

    List<String> quoted = figureLines(readme);

    assertThat(quoted).as("figure lines in README.md").isNotEmpty();
    assertThat(quoted)
        .as("figure lines README.md quotes that bench/README.md does not record")
        .allSatisfy(line -> assertThat(recorded).contains(line));
  }

  /**
   * A row of the README's benchmark table that reports a median or compares with a peer gives the
   * spread of the runs behind it (a {@code _min=} figure of its line, or a range in its note), or
   * says that the spread is not recorded.
   */
  static List<String> rowsWithoutSpread(String markdown) {
    List<String> out = new ArrayList<>();
    for (String row : markdown.lines().filter(l -> l.startsWith("| `./strata bench ")).toList()) {
      boolean median = row.contains("median") || MEDIANS.matcher(row).lookingAt();
      boolean peer = row.contains("crushtool=") || row.contains("rclone=");
      boolean spread =
          row.contains("_min=")
              || row.contains("_spread=")
              || row.contains("not recorded")
              || SPREAD.matcher(row).find();
      if ((median || peer) && !spread) {
        out.add(row);
      }
    }
    return out;
  }

  /** The benchmarks whose figures are medians of runs or rounds. */
  private static final Pattern MEDIANS =
      Pattern.compile("\\| `\\./strata bench (placement|mover|heartbeats|capacity)\\b");

  /** A range of figures in a note: {@code 202,857–519,845}, {@code 0.70–0.86}. */
  private static final Pattern SPREAD = Pattern.compile("\\d[\\d,.]*\\s*–\\s*\\d");

  @Test
  void everyRowWithAMedianOrAPeerGivesItsSpread() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));

    assertThat(readme.lines().filter(l -> l.startsWith("| `./strata bench ")))
        .as("benchmark rows in README.md")
        .hasSizeGreaterThan(3);
    assertThat(rowsWithoutSpread(readme))
        .as("README.md rows with a median or a peer and no spread of their runs")
        .isEmpty();
  }

  @Test
  void aRowWithAMedianAndNoSpreadIsFound() {
    String table =
        """
        | `./strata bench x` (medians of 3 rounds) | `x: a=1` |
        | `./strata bench y` (medians of 3 rounds) | `y: a=1 a_min=0 a_max=2` |
        | `./strata bench z` (one run) | `z: a=1` |
        | `./strata bench capacity` | `capacity: a=1` |
        | `./strata bench w` (median of 5) | `w: a=1` (runs 0.9–1.2) |
        | `./strata bench v` | `v: strata=1 rclone=2` (3 rounds, spread not recorded) |
        | `./strata bench capacity` | `capacity: a=1 rounds=5 a_spread=0-2` |
        """;

    assertThat(rowsWithoutSpread(table))
        .containsExactly(
            "| `./strata bench x` (medians of 3 rounds) | `x: a=1` |",
            "| `./strata bench capacity` | `capacity: a=1` |");
  }

  @Test
  void aFormatLineIsNotAFigure() {
    assertThat(
            figureLines(
                "last line `placement: strata=<N>/s` and run `placement: strata=5/s speedup=2`"))
        .containsExactly("placement: strata=5/s speedup=2");
  }
}
