package io.strata.controller.capacity;

import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySeries;
import io.strata.topology.ByteSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A capacity forecast as a PDF: the forecast as a table, then a chart per tier and site of its use,
 * its limit, and its trend carried on to the limit. Drawn with PDF's standard fonts (no system
 * font, no AWT), which write Latin characters only: any other character of a name shows as {@code
 * ?}.
 */
final class CapacityPdf {
  private static final double SECONDS_PER_DAY = 86_400;

  private CapacityPdf() {}

  private static final PDRectangle LANDSCAPE =
      new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
  private static final float MARGIN = 40;

  static byte[] write(CapacityResource.ForecastView view, List<CapacitySeries> history)
      throws IOException {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDFont font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      Pdf pdf = new Pdf(doc, font, bold);
      pdf.newPage();
      pdf.text(bold, 16, "Strata capacity forecast");
      pdf.y -= 6;
      for (String line : CapacityReport.heading(view)) {
        pdf.text(font, 10, line);
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
      pdf.row(bold, columns, at);
      for (CapacityForecast.Row f : view.rows()) {
        if (pdf.y < MARGIN + 14) {
          pdf.newPage();
          pdf.row(bold, columns, at);
        }
        pdf.row(
            font,
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
      int drawn = 0;
      for (CapacitySeries series : history) {
        if (series.at().size() < 2) {
          continue;
        }
        CapacityForecast.Row row =
            bySite.stream()
                .filter(
                    r ->
                        r.tier().equals(series.tier())
                            && java.util.Objects.equals(r.site(), series.site()))
                .findFirst()
                .orElse(null);
        if (drawn % 2 == 0) {
          pdf.newPage();
        }
        float top =
            drawn % 2 == 0 ? LANDSCAPE.getHeight() - MARGIN : LANDSCAPE.getHeight() / 2 - 10;
        pdf.chart(series, row, top, LANDSCAPE.getHeight() / 2 - MARGIN - 20);
        drawn++;
      }
      pdf.close();
      doc.save(out);
      return out.toByteArray();
    }
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  /** PDF's standard fonts encode WinAnsi only: anything else is written as '?'. */
  static String latin(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  /** A cursor over the pages of a document. */
  private static final class Pdf {
    final PDDocument doc;
    final PDFont font;
    final PDFont bold;
    PDPageContentStream cs;
    float y;

    Pdf(PDDocument doc, PDFont font, PDFont bold) {
      this.doc = doc;
      this.font = font;
      this.bold = bold;
    }

    void newPage() throws IOException {
      close();
      PDPage page = new PDPage(LANDSCAPE);
      doc.addPage(page);
      cs = new PDPageContentStream(doc, page);
      y = LANDSCAPE.getHeight() - MARGIN;
    }

    void close() throws IOException {
      if (cs != null) {
        cs.close();
        cs = null;
      }
    }

    void text(PDFont f, float size, String line) throws IOException {
      y -= size + 4;
      at(f, size, MARGIN, y, line);
    }

    void at(PDFont f, float size, float x, float atY, String text) throws IOException {
      cs.beginText();
      cs.setFont(f, size);
      cs.newLineAtOffset(x, atY);
      cs.showText(latin(text));
      cs.endText();
    }

    void row(PDFont f, String[] cells, float[] at) throws IOException {
      y -= 13;
      for (int i = 0; i < cells.length; i++) {
        String cell = cells[i];
        float room = (i + 1 < at.length ? at[i + 1] - at[i] : 80) - 6;
        while (cell.length() > 1 && f.getStringWidth(latin(cell)) / 1000 * 9 > room) {
          cell = cell.substring(0, cell.length() - 1);
        }
        at(f, 9, MARGIN + at[i], y, cell);
      }
    }

    /**
     * A chart of {@code series} in the band below {@code top}: its use, the limit, and the trend
     * carried on for as long again as the history (to the limit, if it gets there first).
     */
    void chart(CapacitySeries series, CapacityForecast.Row row, float top, float height)
        throws IOException {
      float left = MARGIN + 60;
      float right = LANDSCAPE.getWidth() - MARGIN - 10;
      float bottom = top - height + 28;
      float plotTop = top - 22;
      at(bold, 11, MARGIN, top - 12, CapacityReport.label(series));
      Instant from = series.at().get(0);
      Instant to = series.at().get(series.at().size() - 1);
      long span = Math.max(1, Duration.between(from, to).toMillis());
      long end = to.toEpochMilli() + span;
      long last = series.used()[series.used().length - 1];
      Double growth = row == null ? null : row.growthBytesPerDay();
      double projected = growth == null ? last : last + growth * span / 1000.0 / SECONDS_PER_DAY;
      double max = Math.max(1, Math.max(last, projected));
      for (long u : series.used()) {
        max = Math.max(max, u);
      }
      if (row != null) {
        max = Math.max(max, row.limitBytes());
      }
      max *= 1.05;
      final double top2 = max;
      java.util.function.LongToDoubleFunction xOf =
          millis ->
              left
                  + (right - left)
                      * (millis - from.toEpochMilli())
                      / (double) (end - from.toEpochMilli());
      java.util.function.DoubleUnaryOperator yOf = v -> bottom + (plotTop - bottom) * v / top2;

      // Axes, and labels at 0, half and the top; times at the start, now and the end.
      cs.setStrokingColor(0.4f, 0.4f, 0.4f);
      cs.setLineWidth(0.5f);
      cs.moveTo(left, bottom);
      cs.lineTo(right, bottom);
      cs.moveTo(left, bottom);
      cs.lineTo(left, plotTop);
      cs.stroke();
      for (double v : new double[] {0, max / 2, max}) {
        at(font, 8, MARGIN, (float) yOf.applyAsDouble(v) - 3, ByteSize.format(Math.round(v)));
      }
      at(font, 8, left, bottom - 12, CapacityReport.MINUTE.format(from));
      at(
          font,
          8,
          (float) xOf.applyAsDouble(to.toEpochMilli()) - 30,
          bottom - 12,
          CapacityReport.MINUTE.format(to));
      at(font, 8, right - 70, bottom - 12, CapacityReport.MINUTE.format(Instant.ofEpochMilli(end)));

      if (row != null && row.limitBytes() > 0) {
        float limitY = (float) yOf.applyAsDouble(row.limitBytes());
        cs.setStrokingColor(0.8f, 0.1f, 0.1f);
        cs.setLineDashPattern(new float[] {4, 3}, 0);
        cs.moveTo(left, limitY);
        cs.lineTo(right, limitY);
        cs.stroke();
        cs.setLineDashPattern(new float[] {}, 0);
        at(font, 8, left + 4, limitY + 3, "limit " + ByteSize.format(row.limitBytes()));
      }
      cs.setStrokingColor(0.1f, 0.3f, 0.8f);
      cs.setLineWidth(1.2f);
      for (int i = 0; i < series.used().length; i++) {
        float px = (float) xOf.applyAsDouble(series.at().get(i).toEpochMilli());
        float py = (float) yOf.applyAsDouble(series.used()[i]);
        if (i == 0) {
          cs.moveTo(px, py);
        } else {
          cs.lineTo(px, py);
        }
      }
      cs.stroke();
      if (growth != null) {
        // A shrinking tier's trend may run below the axis: it is cut at the plot's frame.
        cs.saveGraphicsState();
        cs.addRect(left, bottom, right - left, plotTop - bottom);
        cs.clip();
        cs.setLineDashPattern(new float[] {2, 2}, 0);
        cs.moveTo((float) xOf.applyAsDouble(to.toEpochMilli()), (float) yOf.applyAsDouble(last));
        long endOfTrend = end;
        double endValue = projected;
        if (row.limitBytes() > last && projected > row.limitBytes()) {
          double days = (row.limitBytes() - last) / growth;
          endOfTrend = to.toEpochMilli() + Math.round(days * SECONDS_PER_DAY * 1000);
          endValue = row.limitBytes();
        }
        cs.lineTo((float) xOf.applyAsDouble(endOfTrend), (float) yOf.applyAsDouble(endValue));
        cs.stroke();
        cs.setLineDashPattern(new float[] {}, 0);
        cs.restoreGraphicsState();
      }
      cs.setStrokingColor(0f, 0f, 0f);
      String summary =
          row != null && row.noCapacity() != null
              ? "no usable capacity: " + row.noCapacity()
              : row == null || row.daysUntilFull() == null
                  ? (growth == null ? "no trend yet" : growth < 0 ? "shrinking" : "not growing")
                  : String.format(
                      Locale.ROOT, "full in %.1f days, on %s", row.daysUntilFull(), row.fullOn());
      at(font, 9, right - 200, top - 12, summary);
    }
  }
}
