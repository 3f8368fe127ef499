package io.strata.controller.capacity;

import io.strata.fleet.capacity.CapacityCsv;
import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
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
 * A capacity forecast as an XLSX workbook: the sheet "Forecast" (what it was made from, then a row
 * per group, bytes as numbers), and the sheet "History" (each tier's use at each site over the
 * window, in GiB) with a line chart of it.
 */
final class CapacityWorkbook {
  private static final double GIB = 1024.0 * 1024 * 1024;

  private CapacityWorkbook() {}

  static byte[] write(CapacityResource.ForecastView view, List<CapacitySeries> history)
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
      for (String line : CapacityReport.heading(view)) {
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
        text(row, 13, f.noCapacity());
      }
      for (int c = 0; c < columns.length; c++) {
        forecast.setColumnWidth(c, (c < 4 ? 22 : 18) * 256);
      }

      XSSFSheet sheet = wb.createSheet("History");
      Row names = sheet.createRow(0);
      names.createCell(0).setCellValue("time (UTC)");
      names.getCell(0).setCellStyle(header);
      for (int s = 0; s < history.size(); s++) {
        CapacitySeries series = history.get(s);
        names.createCell(s + 1).setCellValue(CapacityReport.label(series) + " (GiB used)");
        names.getCell(s + 1).setCellStyle(header);
      }
      int points = history.isEmpty() ? 0 : history.get(0).at().size();
      for (int i = 0; i < points; i++) {
        Row row = sheet.createRow(i + 1);
        row.createCell(0).setCellValue(CapacityReport.MINUTE.format(history.get(0).at().get(i)));
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

  private static void chart(XSSFSheet sheet, List<CapacitySeries> history, int points) {
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
          CapacityReport.label(history.get(s)),
          new CellReference(sheet.getSheetName(), 0, s + 1, true, true));
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
}
