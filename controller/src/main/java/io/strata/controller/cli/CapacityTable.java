package io.strata.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.topology.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A capacity forecast as {@code GET /api/v1/capacity/forecast} answers it, as a table for a
 * terminal: a line that says what it was made from, then one line a group, soonest full first.
 */
final class CapacityTable {
  private CapacityTable() {}

  static String render(JsonNode forecast) {
    String by = forecast.path("by").asText();
    StringBuilder out = new StringBuilder();
    int samples = forecast.path("samples").asInt();
    out.append("Forecast by ")
        .append(by)
        .append(" from ")
        .append(samples)
        .append(samples == 1 ? " sample" : " samples");
    if (samples > 0) {
      out.append(" (")
          .append(Columns.time(forecast.path("from")))
          .append(" to ")
          .append(Columns.time(forecast.path("to")))
          .append(")");
    }
    out.append(", trend fitted over ").append(forecast.path("window").asText());
    JsonNode scenario = forecast.path("scenario");
    List<String> whatIf = new ArrayList<>();
    if (scenario.path("growth").asDouble(1) != 1) {
      whatIf.add("growth x" + scenario.path("growth").asText());
    }
    for (JsonNode a : scenario.path("additions")) {
      whatIf.add(
          "+"
              + ByteSize.format(a.path("bytes").asLong())
              + " "
              + a.path("tier").asText()
              + "@"
              + a.path("site").asText());
    }
    if (!whatIf.isEmpty()) {
      out.append("; what if: ").append(String.join(", ", whatIf));
    }
    out.append('\n');
    if (!forecast.path("historyError").isNull() && forecast.has("historyError")) {
      out.append("The capacity history could not be read or written at its last round: ")
          .append(forecast.path("historyError").asText())
          .append('\n');
    }
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("TIER", "SITE"));
    if (!by.equals("site")) {
      header.add("ROOM");
    }
    if (by.equals("pool")) {
      header.add("POOL");
    }
    header.addAll(List.of("POOLS", "USED", "LIMIT", "FILL", "GROWTH/DAY", "FULL IN", "FULL ON"));
    rows.add(header.toArray(String[]::new));
    for (JsonNode r : forecast.path("rows")) {
      List<String> row =
          new ArrayList<>(List.of(Columns.text(r.path("tier")), Columns.text(r.path("site"))));
      if (!by.equals("site")) {
        row.add(Columns.text(r.path("room")));
      }
      if (by.equals("pool")) {
        row.add(Columns.text(r.path("pool")));
      }
      row.add(r.path("poolsCounted").asInt() + "/" + r.path("pools").asInt());
      row.add(ByteSize.format(r.path("usedBytes").asLong()));
      row.add(ByteSize.format(r.path("limitBytes").asLong()));
      double fill = r.path("fill").asDouble(-1);
      row.add(fill < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", fill * 100));
      JsonNode growth = r.path("growthBytesPerDay");
      row.add(
          growth.isNumber()
              ? (growth.asDouble() < 0 ? "-" : "")
                  + ByteSize.format(Math.round(Math.abs(growth.asDouble())))
              : "no trend yet");
      JsonNode days = r.path("daysUntilFull");
      JsonNode noCapacity = r.path("noCapacity");
      row.add(
          noCapacity.isTextual()
              ? "no usable capacity (" + noCapacity.asText() + ")"
              : days.isNumber()
                  ? String.format(Locale.ROOT, "%.1f days", days.asDouble())
                  : growth.isNumber() && growth.asDouble() < 0
                      ? "shrinking"
                      : growth.isNumber() ? "not growing" : "-");
      row.add(Columns.text(r.path("fullOn")));
      rows.add(row.toArray(String[]::new));
    }
    out.append(Columns.align(rows));
    return out.toString();
  }
}
