package io.strata.controller.capacity;

import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacitySeries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.text.DateFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The capacity reports' charts as JFreeChart charts, from the planner's and the forecast's views;
 * {@link ReportPages#chart} draws them. Time runs along a date axis in UTC, bytes up an axis in
 * binary units as the tables write them ({@link PlanReport#size}). Each chart's range is fixed to
 * hold what it must show (the bands, the projection, the use, the limit); a trend that leaves it is
 * cut at the plot's frame, as JFreeChart clips every series to the plot.
 *
 * <p>Pure: no I/O, no clock.
 */
final class ReportCharts {
  static final Color PLOT_BACKGROUND = new Color(250, 250, 250);
  static final Color BAND_95 = new Color(217, 228, 255);
  static final Color BAND_80 = new Color(178, 201, 255);
  static final Color PROJECTION = new Color(26, 77, 204);
  static final Color TREND = new Color(77, 77, 77);
  static final Color LIMIT = new Color(204, 26, 26);

  /** The forecast report's line of use. */
  static final Color USE = PROJECTION;

  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static final long DAY_MILLIS = 86_400_000L;
  private static final double SECONDS_PER_DAY = 86_400;
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 8);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
  private static final Stroke SOLID = new BasicStroke(1.2f);
  private static final Stroke DOTTED =
      new BasicStroke(
          0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 2}, 0);
  private static final Stroke DASHED =
      new BasicStroke(
          0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 3}, 0);

  private ReportCharts() {}

  /**
   * One tier at one site's projection from today to the horizon: the 95% band, the 80% band, the
   * projection, the plain trend (dotted) and the limit stepping up as planned racks arrive
   * (dashed). The range holds every bound, the projection and the limit, not the trend.
   *
   * @param g a group with at least two points
   */
  static JFreeChart projection(CapacityPlanner.GroupView g) {
    List<CapacityPlanner.Point> points = g.points();
    YIntervalSeries wide = new YIntervalSeries("95% interval");
    YIntervalSeries narrow = new YIntervalSeries("80% interval");
    XYSeries mean = new XYSeries("projection");
    XYSeries trend = new XYSeries("plain trend");
    XYSeries limit = new XYSeries("limit + racks");
    double max = 1;
    for (CapacityPlanner.Point p : points) {
      long x = millis(p.day());
      wide.add(x, p.mean(), p.lower95(), p.upper95());
      narrow.add(x, p.mean(), p.lower80(), p.upper80());
      mean.add(x, p.mean());
      trend.add(x, p.trend());
      limit.add(x, p.limit());
      max = Math.max(max, Math.max(p.upper95(), Math.max(p.mean(), p.limit())));
    }
    YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
    bands.addSeries(wide);
    bands.addSeries(narrow);
    DeviationRenderer bandRenderer = new DeviationRenderer(false, false);
    bandRenderer.setAlpha(1f);
    bandRenderer.setSeriesFillPaint(0, BAND_95);
    bandRenderer.setSeriesFillPaint(1, BAND_80);

    XYPlot plot =
        plot(
            millis(points.get(0).day()),
            millis(points.get(points.size() - 1).day()),
            max * 1.05,
            "date (UTC)");
    plot.setDataset(0, bands);
    plot.setRenderer(0, bandRenderer);
    plot.setDataset(1, lines(mean, trend));
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    style(lines, 0, PROJECTION, SOLID);
    style(lines, 1, TREND, DOTTED);
    plot.setRenderer(1, lines);
    plot.setDataset(2, lines(limit));
    XYStepRenderer step = new XYStepRenderer();
    step.setSeriesPaint(0, LIMIT);
    step.setSeriesStroke(0, DASHED);
    plot.setRenderer(2, step);

    LegendItemCollection legend = new LegendItemCollection();
    legend.add(box("95% interval", BAND_95));
    legend.add(box("80% interval", BAND_80));
    legend.add(line("projection", PROJECTION, SOLID));
    legend.add(line("plain trend", TREND, DOTTED));
    legend.add(line("limit + racks", LIMIT, DASHED));
    plot.setFixedLegendItems(legend);
    return chart(plot);
  }

  /**
   * A tier at a site's use over {@code series}, its limit, and its trend carried on for as long
   * again as the history (to the limit, if it gets there first). The range holds the use, the limit
   * and where the trend ends; a shrinking trend that goes below nothing is cut at the frame.
   *
   * @param series at least two samples
   * @param row the forecast of the same tier and site, or null when the forecast is not by site
   */
  static JFreeChart forecast(CapacitySeries series, CapacityForecast.Row row) {
    Instant from = series.at().get(0);
    Instant to = series.at().get(series.at().size() - 1);
    long span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
    long end = to.toEpochMilli() + span;
    long last = series.used()[series.used().length - 1];
    Double growth = row == null ? null : row.growthBytesPerDay();
    double projected = growth == null ? last : last + growth * span / 1000.0 / SECONDS_PER_DAY;

    double max = Math.max(1, Math.max(last, projected));
    XYSeries use = new XYSeries("use");
    for (int i = 0; i < series.used().length; i++) {
      use.add(series.at().get(i).toEpochMilli(), series.used()[i]);
      max = Math.max(max, series.used()[i]);
    }
    LegendItemCollection legend = new LegendItemCollection();
    legend.add(line("use", USE, SOLID));
    XYSeriesCollection lines = lines(use);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    style(renderer, 0, USE, SOLID);
    if (growth != null) {
      XYSeries trend = new XYSeries("trend");
      trend.add(to.toEpochMilli(), last);
      long endOfTrend = end;
      double endValue = projected;
      if (row.limitBytes() > last && projected > row.limitBytes()) {
        double days = (row.limitBytes() - last) / growth;
        endOfTrend = to.toEpochMilli() + Math.round(days * SECONDS_PER_DAY * 1000);
        endValue = row.limitBytes();
      }
      trend.add(endOfTrend, endValue);
      lines.addSeries(trend);
      style(renderer, lines.getSeriesCount() - 1, TREND, DOTTED);
      legend.add(line("trend", TREND, DOTTED));
    }
    if (row != null && row.limitBytes() > 0) {
      String name = "limit " + PlanReport.size(row.limitBytes());
      XYSeries limit = new XYSeries(name);
      limit.add(from.toEpochMilli(), row.limitBytes());
      limit.add(end, row.limitBytes());
      lines.addSeries(limit);
      style(renderer, lines.getSeriesCount() - 1, LIMIT, DASHED);
      legend.add(line(name, LIMIT, DASHED));
      max = Math.max(max, row.limitBytes());
    }
    XYPlot plot = plot(from.toEpochMilli(), end, max * 1.05, "time (UTC)");
    plot.setDataset(0, lines);
    plot.setRenderer(0, renderer);
    plot.setFixedLegendItems(legend);
    return chart(plot);
  }

  /** A plot over [{@code fromMillis}, {@code toMillis}] and [0, {@code top}] bytes. */
  private static XYPlot plot(long fromMillis, long toMillis, double top, String timeLabel) {
    DateAxis time = new DateAxis(timeLabel, UTC, Locale.ROOT);
    time.setStandardTickUnits(dateTicks());
    time.setRange(fromMillis, Math.max(toMillis, fromMillis + 1));
    time.setLowerMargin(0);
    time.setUpperMargin(0);
    NumberAxis bytes = new NumberAxis("used");
    bytes.setStandardTickUnits(byteTicks());
    bytes.setAutoRange(false);
    bytes.setRange(0, top);
    for (var axis : List.of(time, bytes)) {
      axis.setTickLabelFont(TICK_FONT);
      axis.setLabelFont(LABEL_FONT);
    }
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(time);
    plot.setRangeAxis(bytes);
    plot.setBackgroundPaint(PLOT_BACKGROUND);
    plot.setOutlinePaint(Color.GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    // The same room for the byte axis on every chart, so that the plots of a page line up.
    AxisSpace room = new AxisSpace();
    room.setLeft(70);
    plot.setFixedRangeAxisSpace(room);
    // Bands first, lines over them; within a dataset, the first series first.
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
    return plot;
  }

  private static JFreeChart chart(XYPlot plot) {
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(false);
    LegendTitle legend = chart.getLegend();
    legend.setItemFont(LABEL_FONT);
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    return chart;
  }

  private static XYSeriesCollection lines(XYSeries... series) {
    XYSeriesCollection c = new XYSeriesCollection();
    for (XYSeries s : series) {
      c.addSeries(s);
    }
    return c;
  }

  private static void style(XYItemRenderer r, int series, Paint paint, Stroke stroke) {
    r.setSeriesPaint(series, paint);
    r.setSeriesStroke(series, stroke);
  }

  private static LegendItem box(String label, Paint fill) {
    return new LegendItem(label, null, null, null, new Rectangle(10, 7), fill);
  }

  private static LegendItem line(String label, Paint paint, Stroke stroke) {
    return new LegendItem(label, null, null, null, new Line2D.Double(-9, 0, 9, 0), stroke, paint);
  }

  private static long millis(LocalDate day) {
    return day.toEpochDay() * DAY_MILLIS;
  }

  /**
   * Tick units for time, in UTC: the axis takes the finest whose labels do not overlap. Dates are
   * written as the tables write them.
   */
  static TickUnits dateTicks() {
    TickUnits units = new TickUnits();
    DateFormat minutes = utc("HH:mm");
    DateFormat hours = utc("MM-dd HH:mm");
    DateFormat days = utc("yyyy-MM-dd");
    DateFormat months = utc("yyyy-MM");
    DateFormat years = utc("yyyy");
    for (int m : new int[] {1, 5, 15, 30}) {
      units.add(new DateTickUnit(DateTickUnitType.MINUTE, m, minutes));
    }
    for (int h : new int[] {1, 3, 6, 12}) {
      units.add(new DateTickUnit(DateTickUnitType.HOUR, h, hours));
    }
    for (int d : new int[] {1, 2, 7, 14}) {
      units.add(new DateTickUnit(DateTickUnitType.DAY, d, days));
    }
    for (int m : new int[] {1, 2, 3, 6}) {
      units.add(new DateTickUnit(DateTickUnitType.MONTH, m, months));
    }
    for (int y : new int[] {1, 2, 5, 10}) {
      units.add(new DateTickUnit(DateTickUnitType.YEAR, y, years));
    }
    return units;
  }

  private static DateFormat utc(String pattern) {
    SimpleDateFormat f = new SimpleDateFormat(pattern, Locale.ROOT);
    f.setTimeZone(UTC);
    return f;
  }

  /**
   * Tick units for bytes in binary units: 1, 2, 5, 10, 20, 50, 100 and 200 of a unit, then half of
   * the next. Each writes its ticks in its own unit, so that every tick is a round and exact figure
   * ({@code 500 GiB} steps would reach 1,500 GiB, which {@link PlanReport#size} rounds to {@code
   * 1.5 TiB}; {@code 0.5 TiB} steps do not).
   */
  static TickUnits byteTicks() {
    TickUnits units = new TickUnits();
    for (int unit = 0; unit < ByteFormat.UNITS.length; unit++) {
      double size = Math.pow(1024, unit);
      if (unit > 0) {
        units.add(new NumberTickUnit(size / 2, new ByteFormat(unit, 1)));
      }
      for (int m : new int[] {1, 2, 5, 10, 20, 50, 100, 200}) {
        units.add(new NumberTickUnit(m * size, new ByteFormat(unit, 0)));
      }
    }
    return units;
  }

  /** Bytes in one binary unit, for an axis's ticks: only written, never parsed. */
  static final class ByteFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;
    static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private final int unit;
    private final int decimals;

    ByteFormat(int unit, int decimals) {
      this.unit = unit;
      this.decimals = decimals;
    }

    @Override
    public StringBuffer format(double bytes, StringBuffer to, FieldPosition pos) {
      if (bytes == 0) {
        return to.append("0 B");
      }
      String figure =
          String.format(Locale.ROOT, "%." + decimals + "f", bytes / Math.pow(1024, unit));
      if (figure.endsWith(".0")) {
        figure = figure.substring(0, figure.length() - 2);
      }
      return to.append(figure).append(' ').append(UNITS[unit]);
    }

    @Override
    public StringBuffer format(long bytes, StringBuffer to, FieldPosition pos) {
      return format((double) bytes, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("an axis's byte ticks are only written");
    }
  }
}
