package io.strata.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Rows of text as left-aligned columns two spaces apart, for a terminal. */
final class Columns {
  private Columns() {}

  /** Each row on a line of its own, trailing blanks cut; the first row is usually a header. */
  static String align(List<String[]> rows) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A value of an answer as a cell: {@code -} for null, missing or empty. */
  static String text(JsonNode value) {
    return value.isNull() || value.isMissingNode() || value.asText().isEmpty()
        ? "-"
        : value.asText();
  }

  /** An instant to the second, as the API's times are to the nanosecond. */
  static String time(JsonNode value) {
    try {
      return Instant.parse(value.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return value.asText();
    }
  }
}
