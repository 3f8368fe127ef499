package io.strata.controller.capacity;

import io.strata.topology.ByteSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xddf.usermodel.chart.AxisCrosses;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.MarkerStyle;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFClientAnchor;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A capacity forecast as a report for planners: an XLSX workbook (the forecast, and each tier's use
 * at each site over the window with a line chart of it) or a PDF (the forecast as a table, then a
 * chart per tier and site: its use, its limit, and the trend carried on to the limit).
 *
 * <p>The PDF is drawn with PDF's standard fonts (no system font, no AWT), which write Latin
 * characters only: any other character of a name shows as {@code ?}.
 */
final class CapacityReport {
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final double SECONDS_PER_DAY = 86_400;

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

  // ---- XLSX ---------------------------------------------------------------------------------

  static byte[] xlsx(CapacityResource.ForecastView view, List<CapacityForecast.Series> history)
      throws IOException {
    try (XSSFWorkbook wb = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      CellStyle header = wb.createCellStyle();
      Font bold = wb.createFont();
      bold.setBold(true);
      header.setFont(bold);
      header.setBorderBottom(BorderStyle.THIN);
      CellStyle bytes = wb.createCellStyle();
      bytes.setDataFormat(wb.createDataFormat().getFormat("#,##0"));
      CellStyle percent = wb.createCellStyle();
      percent.setDataFormat(wb.createDataFormat().getFormat("0.0%"));
      CellStyle days = wb.createCellStyle();
      days.setDataFormat(wb.createDataFormat().getFormat("0.0"));
      CellStyle gib = wb.createCellStyle();
      gib.setDataFormat(wb.createDataFormat().getFormat("0.000"));

      XSSFSheet forecast = wb.createSheet("Forecast");
      int r = 0;
      Row title = forecast.createRow(r++);
      title.createCell(0).setCellValue("Strata capacity forecast");
      title.getCell(0).setCellStyle(header);
      for (String line : heading(view)) {
        forecast.createRow(r++).createCell(0).setCellValue(line);
      }
      r++;
      String[] columns = CapacityCsv.HEADER.split(",");
      Row head = forecast.createRow(r++);
      for (int c = 0; c < columns.length; c++) {
        head.createCell(c).setCellValue(columns[c]);
        head.getCell(c).setCellStyle(header);
      }
      for (CapacityForecast.Row f : view.rows()) {
        Row row = forecast.createRow(r++);
        text(row, 0, f.tier());
        text(row, 1, f.site());
        text(row, 2, f.room());
        text(row, 3, f.pool());
        row.createCell(4).setCellValue(f.pools());
        row.createCell(5).setCellValue(f.poolsCounted());
        number(row, 6, f.capacityBytes(), bytes);
        number(row, 7, f.limitBytes(), bytes);
        number(row, 8, f.usedBytes(), bytes);
        if (f.fill() >= 0) {
          number(row, 9, f.fill(), percent);
        }
        if (f.growthBytesPerDay() != null) {
          number(row, 10, Math.round(f.growthBytesPerDay()), bytes);
        }
        if (f.daysUntilFull() != null) {
          number(row, 11, f.daysUntilFull(), days);
        }
        text(row, 12, f.fullOn() == null ? null : f.fullOn().toString());
      }
      for (int c = 0; c < columns.length; c++) {
        forecast.setColumnWidth(c, (c < 4 ? 22 : 18) * 256);
      }

      XSSFSheet sheet = wb.createSheet("History");
      Row names = sheet.createRow(0);
      names.createCell(0).setCellValue("time (UTC)");
      names.getCell(0).setCellStyle(header);
      for (int s = 0; s < history.size(); s++) {
        CapacityForecast.Series series = history.get(s);
        names.createCell(s + 1).setCellValue(label(series) + " (GiB used)");
        names.getCell(s + 1).setCellStyle(header);
      }
      int points = history.isEmpty() ? 0 : history.get(0).at().size();
      for (int i = 0; i < points; i++) {
        Row row = sheet.createRow(i + 1);
        row.createCell(0).setCellValue(MINUTE.format(history.get(0).at().get(i)));
        for (int s = 0; s < history.size(); s++) {
          number(row, s + 1, history.get(s).used()[i] / GIB, gib);
        }
      }
      sheet.setColumnWidth(0, 18 * 256);
      if (points >= 2) {
        chart(sheet, history, points);
      }
      wb.write(out);
      return out.toByteArray();
    }
  }

  private static void chart(XSSFSheet sheet, List<CapacityForecast.Series> history, int points) {
    XSSFDrawing drawing = sheet.createDrawingPatriarch();
    int left = history.size() + 2;
    XSSFClientAnchor anchor = drawing.createAnchor(0, 0, 0, 0, left, 1, left + 12, 26);
    XSSFChart chart = drawing.createChart(anchor);
    chart.setTitleText("Bytes in use by tier and site (GiB)");
    chart.setTitleOverlay(false);
    chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
    XDDFCategoryAxis time = chart.createCategoryAxis(AxisPosition.BOTTOM);
    XDDFValueAxis used = chart.createValueAxis(AxisPosition.LEFT);
    used.setCrosses(AxisCrosses.AUTO_ZERO);
    XDDFDataSource<String> x =
        XDDFDataSourcesFactory.fromStringCellRange(sheet, new CellRangeAddress(1, points, 0, 0));
    XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, time, used);
    for (int s = 0; s < history.size(); s++) {
      XDDFNumericalDataSource<Double> y =
          XDDFDataSourcesFactory.fromNumericCellRange(
              sheet, new CellRangeAddress(1, points, s + 1, s + 1));
      XDDFLineChartData.Series line = (XDDFLineChartData.Series) data.addSeries(x, y);
      line.setTitle(
          label(history.get(s)), new CellReference(sheet.getSheetName(), 0, s + 1, true, true));
      line.setSmooth(false);
      line.setMarkerStyle(MarkerStyle.NONE);
    }
    chart.plot(data);
  }

  private static void text(Row row, int column, String value) {
    if (value != null) {
      row.createCell(column).setCellValue(value);
    }
  }

  private static void number(Row row, int column, double value, CellStyle style) {
    row.createCell(column).setCellValue(value);
    row.getCell(column).setCellStyle(style);
  }

  private static String label(CapacityForecast.Series s) {
    return s.tier() + " @ " + (s.site() == null ? "-" : s.site());
  }

  // ---- PDF ----------------------------------------------------------------------------------

  private static final PDRectangle LANDSCAPE =
      new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
  private static final float MARGIN = 40;

  static byte[] pdf(CapacityResource.ForecastView view, List<CapacityForecast.Series> history)
      throws IOException {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDFont font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
      Pdf pdf = new Pdf(doc, font, bold);
      pdf.newPage();
      pdf.text(bold, 16, "Strata capacity forecast");
      pdf.y -= 6;
      for (String line : heading(view)) {
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
        "full on"
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
              f.daysUntilFull() != null
                  ? String.format(Locale.ROOT, "%.1f days", f.daysUntilFull())
                  : f.growthBytesPerDay() == null ? "-" : "not growing",
              f.fullOn() == null ? "-" : f.fullOn().toString()
            },
            at);
      }
      // A chart per tier and site, two to a page, from the forecast by site.
      List<CapacityForecast.Row> bySite = view.by().equals("site") ? view.rows() : List.of();
      int drawn = 0;
      for (CapacityForecast.Series series : history) {
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
    void chart(CapacityForecast.Series series, CapacityForecast.Row row, float top, float height)
        throws IOException {
      float left = MARGIN + 60;
      float right = LANDSCAPE.getWidth() - MARGIN - 10;
      float bottom = top - height + 28;
      float plotTop = top - 22;
      at(bold, 11, MARGIN, top - 12, label(series));
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
      at(font, 8, left, bottom - 12, MINUTE.format(from));
      at(
          font,
          8,
          (float) xOf.applyAsDouble(to.toEpochMilli()) - 30,
          bottom - 12,
          MINUTE.format(to));
      at(font, 8, right - 70, bottom - 12, MINUTE.format(Instant.ofEpochMilli(end)));

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
      }
      cs.setStrokingColor(0f, 0f, 0f);
      String summary =
          row == null || row.daysUntilFull() == null
              ? (growth == null ? "no trend yet" : "not growing")
              : String.format(
                  Locale.ROOT, "full in %.1f days, on %s", row.daysUntilFull(), row.fullOn());
      at(font, 9, right - 200, top - 12, summary);
    }
  }
}
