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
          "`((?:placement|mover|reconcile|balance|heartbeats|capacity|fleet): [^`]*=[^`]*)`");

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

  @Test
  void aFormatLineIsNotAFigure() {
    assertThat(
            figureLines(
                "last line `placement: strata=<N>/s` and run `placement: strata=5/s speedup=2`"))
        .containsExactly("placement: strata=5/s speedup=2");
  }
}
