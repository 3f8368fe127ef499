package io.strata.controller.capacity;

import io.strata.topology.ByteSize;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A capacity forecast as a report for planners: an XLSX workbook (the forecast, and each tier's use
 * at each site over the window with a line chart of it) or a PDF (the forecast as a table, then a
 * chart per tier and site: its use, its limit, and the trend carried on to the limit); and what
 * both write above the forecast.
 */
final class CapacityReport {
  static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private CapacityReport() {}

  /** The lines above the table: what the forecast is of, and what it was made from. */
  static List<String> heading(CapacityResource.ForecastView view) {
    List<String> lines = new ArrayList<>();
    lines.add("Made " + MINUTE.format(view.at()) + " UTC, by " + view.by() + ".");
    lines.add(
        view.samples() == 0
            ? "No capacity sample yet: the leader takes one every " + view.sampleInterval() + "."
            : view.samples()
                + (view.samples() == 1 ? " sample" : " samples")
                + " from "
                + MINUTE.format(view.from())
                + " to "
                + MINUTE.format(view.to())
                + " UTC; the trend is fitted over the last "
                + view.window()
                + ".");
    CapacityForecast.Scenario scenario = view.scenario();
    if (!scenario.isTrend()) {
      List<String> parts = new ArrayList<>();
      if (scenario.growth() != 1) {
        parts.add("growth " + scenario.growth() + " times the trend");
      }
      for (CapacityForecast.Addition a : scenario.additions()) {
        parts.add(ByteSize.format(a.bytes()) + " added to " + a.tier() + " at " + a.site());
      }
      lines.add("What if: " + String.join("; ", parts) + ".");
    }
    if (view.historyError() != null) {
      lines.add("The capacity history could not be read or written: " + view.historyError());
    }
    return lines;
  }

  /** The workbook: see {@link CapacityWorkbook}. */
  static byte[] xlsx(CapacityResource.ForecastView view, List<CapacitySeries> history)
      throws IOException {
    return CapacityWorkbook.write(view, history);
  }

  /** The PDF: see {@link CapacityPdf}. */
  static byte[] pdf(CapacityResource.ForecastView view, List<CapacitySeries> history)
      throws IOException {
    return CapacityPdf.write(view, history);
  }

  static String label(CapacitySeries s) {
    return s.tier() + " @ " + (s.site() == null ? "-" : s.site());
  }
}
