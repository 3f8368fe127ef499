package io.strata.controller.capacity;

import io.strata.fleet.capacity.PurchasePlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
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
 * A purchase plan as an XLSX workbook: the sheet "Plan" (what it was made from, each tier's fill
 * date with its intervals, the orders, the cost by quarter) and the sheet "Projection" (each tier
 * at each site week by week: projection, 95% and 80% bounds, plain trend, limit with the planned
 * racks, in bytes) with a line chart per tier and site that has capacity: the projection, its 95%
 * band as two lines, the trend and the limit.
 */
final class PlanWorkbook {
  /** The most charts the workbook draws; the projection sheet holds every group. */
  static final int MAX_CHARTS = 12;

  static final String[] FILL_COLUMNS = {
    "tier",
    "site",
    "used_bytes",
    "limit_bytes",
    "status",
    "reason",
    "full_on",
    "full_on_95_earliest",
    "full_on_95_latest",
    "full_on_80_earliest",
    "full_on_80_latest",
    "trend_full_on"
  };

  static final String[] ORDER_COLUMNS = {
    "order_by",
    "needed_by",
    "tier",
    "site",
    "model",
    "racks",
    "added_bytes",
    "cost",
    "power_kw",
    "late"
  };

  static final String[] PROJECTION_COLUMNS = {
    "tier",
    "site",
    "day",
    "projection",
    "lower_95",
    "upper_95",
    "lower_80",
    "upper_80",
    "trend",
    "limit"
  };

  private PlanWorkbook() {}

  static byte[] write(CapacityPlanner.PlanView view) throws IOException {
    try (XSSFWorkbook wb = new XSSFWorkbook();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      CellStyle header = wb.createCellStyle();
      Font bold = wb.createFont();
      bold.setBold(true);
      header.setFont(bold);
      CellStyle bytes = wb.createCellStyle();
      bytes.setDataFormat(wb.createDataFormat().getFormat("#,##0"));

      XSSFSheet plan = wb.createSheet("Plan");
      int r = 0;
      plan.createRow(r++).createCell(0).setCellValue("Strata capacity plan");
      plan.getRow(0).getCell(0).setCellStyle(header);
      for (String line : PlanReport.heading(view)) {
        plan.createRow(r++).createCell(0).setCellValue(line);
      }
      r++;
      r = head(plan, r, "Fill dates", FILL_COLUMNS, header);
      for (CapacityPlanner.GroupView g : view.groups()) {
        Row row = plan.createRow(r++);
        text(row, 0, g.tier());
        text(row, 1, g.site());
        number(row, 2, g.usedBytes(), bytes);
        number(row, 3, g.limitBytes(), bytes);
        text(row, 4, g.status());
        text(row, 5, g.reason());
        text(row, 6, str(g.fullOn()));
        text(row, 7, str(g.fullOn95().get(0)));
        text(row, 8, str(g.fullOn95().get(1)));
        text(row, 9, str(g.fullOn80().get(0)));
        text(row, 10, str(g.fullOn80().get(1)));
        text(row, 11, str(g.trendFullOn()));
      }
      r++;
      r = head(plan, r, "Purchase plan", ORDER_COLUMNS, header);
      for (PurchasePlan.Order o : view.plan().orders()) {
        Row row = plan.createRow(r++);
        text(row, 0, o.orderBy().toString());
        text(row, 1, o.neededBy().toString());
        text(row, 2, o.tier());
        text(row, 3, o.site());
        text(row, 4, o.model());
        row.createCell(5).setCellValue(o.racks());
        number(row, 6, o.addedBytes(), bytes);
        number(row, 7, o.cost(), bytes);
        row.createCell(8).setCellValue(o.powerKw());
        row.createCell(9).setCellValue(o.late());
      }
      for (PurchasePlan.Unplanned u : view.plan().unplanned()) {
        Row row = plan.createRow(r++);
        text(row, 2, u.tier());
        text(row, 3, u.site());
        text(row, 4, "not planned: " + u.reason());
      }
      r++;
      r = head(plan, r, "Cost by quarter", new String[] {"quarter", "cost"}, header);
      for (Map.Entry<String, Double> q : view.plan().costByQuarter().entrySet()) {
        Row row = plan.createRow(r++);
        text(row, 0, q.getKey());
        number(row, 1, q.getValue(), bytes);
      }
      for (int c = 0; c < FILL_COLUMNS.length; c++) {
        plan.setColumnWidth(c, 20 * 256);
      }

      XSSFSheet projection = wb.createSheet("Projection");
      Row names = projection.createRow(0);
      for (int c = 0; c < PROJECTION_COLUMNS.length; c++) {
        names.createCell(c).setCellValue(PROJECTION_COLUMNS[c]);
        names.getCell(c).setCellStyle(header);
      }
      int p = 1;
      int charts = 0;
      for (CapacityPlanner.GroupView g : view.groups()) {
        int first = p;
        for (CapacityPlanner.Point pt : g.points()) {
          Row row = projection.createRow(p++);
          text(row, 0, g.tier());
          text(row, 1, g.site());
          text(row, 2, pt.day().toString());
          long[] values = {
            pt.mean(),
            pt.lower95(),
            pt.upper95(),
            pt.lower80(),
            pt.upper80(),
            pt.trend(),
            pt.limit()
          };
          for (int v = 0; v < values.length; v++) {
            number(row, 3 + v, values[v], bytes);
          }
        }
        if (!g.status().equals("no-capacity") && g.points().size() >= 2 && charts < MAX_CHARTS) {
          chart(projection, g, first, p - 1, charts++);
        }
      }
      projection.setColumnWidth(2, 12 * 256);
      wb.write(out);
      return out.toByteArray();
    }
  }

  private static int head(XSSFSheet sheet, int r, String title, String[] columns, CellStyle style) {
    sheet.createRow(r).createCell(0).setCellValue(title);
    sheet.getRow(r).getCell(0).setCellStyle(style);
    Row head = sheet.createRow(r + 1);
    for (int c = 0; c < columns.length; c++) {
      head.createCell(c).setCellValue(columns[c]);
      head.getCell(c).setCellStyle(style);
    }
    return r + 2;
  }

  /** A chart of rows {@code first..last}: projection, the 95% band's edges, trend, limit. */
  private static void chart(
      XSSFSheet sheet, CapacityPlanner.GroupView g, int first, int last, int index) {
    XSSFDrawing drawing = sheet.getDrawingPatriarch();
    if (drawing == null) {
      drawing = sheet.createDrawingPatriarch();
    }
    int left = PROJECTION_COLUMNS.length + 1;
    int top = 1 + index * 22;
    XSSFClientAnchor anchor = drawing.createAnchor(0, 0, 0, 0, left, top, left + 12, top + 20);
    XSSFChart chart = drawing.createChart(anchor);
    chart.setTitleText(PlanReport.label(g) + ": projected use (bytes), 95% band, trend, limit");
    chart.setTitleOverlay(false);
    chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
    XDDFCategoryAxis time = chart.createCategoryAxis(AxisPosition.BOTTOM);
    XDDFValueAxis used = chart.createValueAxis(AxisPosition.LEFT);
    XDDFDataSource<String> x =
        XDDFDataSourcesFactory.fromStringCellRange(sheet, new CellRangeAddress(first, last, 2, 2));
    XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, time, used);
    for (int column : List.of(3, 4, 5, 8, 9)) {
      XDDFNumericalDataSource<Double> y =
          XDDFDataSourcesFactory.fromNumericCellRange(
              sheet, new CellRangeAddress(first, last, column, column));
      XDDFLineChartData.Series line = (XDDFLineChartData.Series) data.addSeries(x, y);
      line.setTitle(
          PROJECTION_COLUMNS[column],
          new CellReference(sheet.getSheetName(), 0, column, true, true));
      line.setSmooth(false);
      line.setMarkerStyle(MarkerStyle.NONE);
    }
    chart.plot(data);
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
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
