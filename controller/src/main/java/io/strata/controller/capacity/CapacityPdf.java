package io.strata.controller.capacity;

import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySeries;
import io.strata.topology.ByteSize;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A capacity forecast as a PDF: the forecast as a table, then a chart per tier and site of its use,
 * its limit, and its trend carried on to the limit ({@link ReportCharts#forecast}), with where it
 * stands above it: when it is full, or that it has no usable capacity and why.
 */
final class CapacityPdf {
  private CapacityPdf() {}

  static byte[] write(CapacityResource.ForecastView view, List<CapacitySeries> history)
      throws IOException {
    try (ReportPages pdf = new ReportPages()) {
      pdf.newPage();
      pdf.text(pdf.bold, 16, "Strata capacity forecast");
      pdf.y -= 6;
      for (String line : CapacityReport.heading(view)) {
        pdf.text(pdf.font, 10, line);
      }
      pdf.y -= 8;
      String[] columns = {
        "tier",
        "site",
        "room",
        "pool",
        "pools",
        "used",
        "limit",
        "fill",
        "growth/day",
        "full in",
        "full on / why"
      };
      float[] at = {0, 90, 200, 280, 390, 430, 495, 560, 605, 670, 735};
      pdf.row(pdf.bold, columns, at);
      for (CapacityForecast.Row f : view.rows()) {
        pdf.roomFor(columns, at);
        pdf.row(
            pdf.font,
            new String[] {
              dash(f.tier()),
              dash(f.site()),
              dash(f.room()),
              dash(f.pool()),
              f.poolsCounted() + "/" + f.pools(),
              ByteSize.format(f.usedBytes()),
              ByteSize.format(f.limitBytes()),
              f.fill() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", f.fill() * 100),
              f.growthBytesPerDay() == null
                  ? "no trend"
                  : (f.growthBytesPerDay() < 0 ? "-" : "")
                      + ByteSize.format(Math.round(Math.abs(f.growthBytesPerDay()))),
              f.noCapacity() != null
                  ? "no capacity"
                  : f.daysUntilFull() != null
                      ? String.format(Locale.ROOT, "%.1f days", f.daysUntilFull())
                      : f.growthBytesPerDay() == null
                          ? "-"
                          : f.growthBytesPerDay() < 0 ? "shrinking" : "not growing",
              f.noCapacity() != null
                  ? f.noCapacity()
                  : f.fullOn() == null ? "-" : f.fullOn().toString()
            },
            at);
      }
      // A chart per tier and site, two to a page, from the forecast by site.
      List<CapacityForecast.Row> bySite = view.by().equals("site") ? view.rows() : List.of();
      for (CapacitySeries series : history) {
        if (series.at().size() < 2) {
          continue;
        }
        CapacityForecast.Row row =
            bySite.stream()
                .filter(
                    r -> r.tier().equals(series.tier()) && Objects.equals(r.site(), series.site()))
                .findFirst()
                .orElse(null);
        pdf.chart(CapacityReport.label(series), summary(row), ReportCharts.forecast(series, row));
      }
      return pdf.save();
    }
  }

  /** Where a tier at a site stands, as the line above its chart says it. */
  private static String summary(CapacityForecast.Row row) {
    if (row != null && row.noCapacity() != null) {
      return "no usable capacity: " + row.noCapacity();
    }
    if (row == null || row.daysUntilFull() == null) {
      Double growth = row == null ? null : row.growthBytesPerDay();
      return growth == null ? "no trend yet" : growth < 0 ? "shrinking" : "not growing";
    }
    return String.format(
        Locale.ROOT, "full in %.1f days, on %s", row.daysUntilFull(), row.fullOn());
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
