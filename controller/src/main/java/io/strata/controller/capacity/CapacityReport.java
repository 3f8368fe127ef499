package io.strata.controller.capacity;

import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySeries;
import io.strata.topology.ByteSize;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the capacity reports ({@link CapacityWorkbook}, {@link CapacityPdf}) share: the lines they
 * write above the forecast, and how they name a tier at a site.
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

  static String label(CapacitySeries s) {
    return s.tier() + " @ " + (s.site() == null ? "-" : s.site());
  }
}
