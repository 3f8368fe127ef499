package io.strata.controller.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fleet.capacity.CapacityForecast;
import io.strata.fleet.capacity.CapacityForecast.Grouping;
import io.strata.fleet.capacity.CapacityForecast.Scenario;
import io.strata.fleet.capacity.CapacityForecastTest;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.capacity.CapacitySeries;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The reports, read back with the libraries a planner's tools would use. */
class CapacityReportTest {
  private static final Duration WINDOW = Duration.ofDays(30);

  private static CapacityResource.ForecastView view(
      List<CapacitySample> samples, Scenario scenario) {
    return new CapacityResource.ForecastView(
        CapacityForecastTest.dayAfter(9),
        "site",
        "30 days",
        "1 day",
        samples.size(),
        samples.isEmpty() ? null : samples.get(0).at(),
        samples.isEmpty() ? null : samples.get(samples.size() - 1).at(),
        scenario,
        null,
        CapacityForecast.forecast(
            CapacityForecastTest.MAP,
            samples,
            CapacityForecastTest.dayAfter(9),
            WINDOW,
            Grouping.SITE,
            scenario));
  }

  @Test
  void theHistoryPerTierAndSiteSumsItsPoolsAndCarriesAMissingOneOn() {
    List<CapacitySample> samples = CapacityForecastTest.growing(3);
    // The third day lacks p2: it counts at its use of the second day.
    CapacitySample third = samples.get(2);
    samples =
        List.of(
            samples.get(0),
            samples.get(1),
            new CapacitySample(third.at(), List.of("p1"), new long[] {third.used()[0]}));
    List<CapacitySeries> history = CapacitySeries.of(CapacityForecastTest.MAP, samples, WINDOW);
    assertThat(history)
        .extracting(s -> s.tier() + "@" + s.site())
        .containsExactly("hot@s1", "cold@s2");
    long gb = 1_000_000_000L;
    // p1 + p2 + p4 (draining, 50 GB): 100+200+50, 110+205+50, then 120 + 205 (carried) + 50.
    assertThat(history.get(0).used()).containsExactly(350 * gb, 365 * gb, 375 * gb);
    assertThat(history.get(1).used()).containsExactly(4_000 * gb, 4_000 * gb, 4_000 * gb);
  }

  @Test
  void theWorkbookHoldsTheForecastTheHistoryAndALineChartOfIt() throws Exception {
    List<CapacitySample> samples = CapacityForecastTest.growing(10);
    byte[] xlsx =
        CapacityWorkbook.write(
            view(samples, new Scenario(2, List.of())),
            CapacitySeries.of(CapacityForecastTest.MAP, samples, WINDOW));
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
      XSSFSheet forecast = wb.getSheet("Forecast");
      assertThat(forecast.getRow(0).getCell(0).getStringCellValue())
          .isEqualTo("Strata capacity forecast");
      assertThat(forecast.getRow(3).getCell(0).getStringCellValue())
          .isEqualTo("What if: growth 2.0 times the trend.");
      int header = 5;
      assertThat(forecast.getRow(header).getCell(8).getStringCellValue()).isEqualTo("used_bytes");
      var hot = forecast.getRow(header + 1);
      assertThat(hot.getCell(0).getStringCellValue()).isEqualTo("hot");
      assertThat(hot.getCell(1).getStringCellValue()).isEqualTo("s1");
      assertThat(hot.getCell(8).getNumericCellValue()).isEqualTo(485e9);
      assertThat(hot.getCell(10).getNumericCellValue()).isEqualTo(30e9);
      assertThat(hot.getCell(11).getNumericCellValue()).isCloseTo(1115 / 30.0, within());
      assertThat(hot.getCell(12).getStringCellValue()).isEqualTo("2026-12-18");

      XSSFSheet history = wb.getSheet("History");
      assertThat(history.getLastRowNum()).isEqualTo(10);
      assertThat(history.getRow(0).getCell(1).getStringCellValue())
          .isEqualTo("hot @ s1 (GiB used)");
      assertThat(history.getRow(10).getCell(1).getNumericCellValue())
          .isCloseTo(485e9 / (1 << 30), within());
      List<XSSFChart> charts = history.getDrawingPatriarch().getCharts();
      assertThat(charts).hasSize(1);
      assertThat(charts.get(0).getChartSeries().get(0).getSeriesCount()).isEqualTo(2);
    }
  }

  @Test
  void thePdfHasTheTableAndAChartPerTierAndSite() throws Exception {
    List<CapacitySample> samples = CapacityForecastTest.growing(10);
    byte[] pdf =
        CapacityPdf.write(
            view(samples, Scenario.TREND),
            CapacitySeries.of(CapacityForecastTest.MAP, samples, WINDOW));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      // The table, then two charts on one page.
      assertThat(doc.getNumberOfPages()).isEqualTo(2);
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setStartPage(1);
      stripper.setEndPage(1);
      String table = stripper.getText(doc);
      assertThat(table)
          .contains("Strata capacity forecast")
          .contains("10 samples from 2026-11-01 00:00 to 2026-11-10 00:00 UTC")
          .contains("hot s1")
          .contains("74.3 days")
          .contains("2027-01-24")
          .contains("not growing");
      stripper.setStartPage(2);
      stripper.setEndPage(2);
      String charts = stripper.getText(doc);
      assertThat(charts)
          .contains("hot @ s1")
          .contains("full in 74.3 days, on 2027-01-24")
          .contains("limit 1.5 TiB")
          .contains("cold @ s2")
          .contains("not growing");
    }
    // Without samples: the table says so, and there is no chart.
    byte[] empty = CapacityPdf.write(view(List.of(), Scenario.TREND), List.of());
    try (PDDocument doc = Loader.loadPDF(empty)) {
      assertThat(doc.getNumberOfPages()).isEqualTo(1);
      assertThat(new PDFTextStripper().getText(doc)).contains("No capacity sample yet");
    }
  }

  @Test
  void namesOutsideLatinAreWrittenAsQuestionMarks() {
    assertThat(ReportPages.latin("czzl-a 常州")).isEqualTo("czzl-a ??");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return within(1e-6);
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }

  @Test
  void aDrainedPoolHasNoUsableCapacityInThePdfAndEachChartDrawsWithinItsFrame() throws Exception {
    List<CapacitySample> samples = CapacityForecastTest.growing(10);
    CapacityResource.ForecastView byPool =
        new CapacityResource.ForecastView(
            CapacityForecastTest.dayAfter(9),
            "pool",
            "30 days",
            "1 day",
            samples.size(),
            samples.get(0).at(),
            samples.get(samples.size() - 1).at(),
            Scenario.TREND,
            null,
            CapacityForecast.forecast(
                CapacityForecastTest.MAP,
                samples,
                CapacityForecastTest.dayAfter(9),
                WINDOW,
                Grouping.POOL,
                Scenario.TREND));
    try (PDDocument doc = Loader.loadPDF(CapacityPdf.write(byPool, List.of()))) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("0 B no capacity 1 pool draining").doesNotContain("0.0 days");
    }
    byte[] charts =
        CapacityPdf.write(
            view(samples, Scenario.TREND),
            CapacitySeries.of(CapacityForecastTest.MAP, samples, WINDOW));
    try (PDDocument doc = Loader.loadPDF(charts)) {
      // Both charts draw their use, trend and limit within their plots' frames.
      List<PaintedPaths.Painted> painted = PaintedPaths.of(doc.getPage(1));
      List<java.awt.geom.Rectangle2D> frames = PaintedPaths.frames(painted);
      assertThat(frames).hasSize(2);
      for (java.awt.geom.Rectangle2D frame : frames) {
        for (java.awt.Color colour :
            List.of(ReportCharts.USE, ReportCharts.TREND, ReportCharts.LIMIT)) {
          assertThat(painted)
              .as("%s in the plot at %s", colour, frame)
              .anyMatch(p -> p.is(colour) && !p.filled() && PaintedPaths.within(p, frame));
        }
      }
      assertThat(
              PaintedPaths.strays(
                  painted, List.of(ReportCharts.USE, ReportCharts.TREND, ReportCharts.LIMIT)))
          .isEmpty();
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("use").contains("trend").contains("limit 8.2 TiB");
    }
  }

  @Test
  void aShrinkingTrendIsCutAtThePlotsFrame() throws Exception {
    // A tier that lost half its use in a day: carried on for a day more, its trend ends below
    // nothing, out of the chart's range.
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    CapacitySeries shrinking =
        new CapacitySeries(
            "hot",
            "s1",
            List.of(t0, t0.plus(Duration.ofDays(1))),
            new long[] {800_000_000_000L, 400_000_000_000L});
    CapacityForecast.Row row =
        new CapacityForecast.Row(
            "hot",
            "s1",
            null,
            null,
            1,
            1,
            1_000_000_000_000L,
            900_000_000_000L,
            400_000_000_000L,
            0.44,
            -600_000_000_000.0,
            null,
            null,
            null);
    byte[] pdf;
    try (ReportPages pages = new ReportPages()) {
      pages.chart("hot @ s1", "shrinking", ReportCharts.forecast(shrinking, row));
      pdf = pages.save();
    }
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      List<PaintedPaths.Painted> painted = PaintedPaths.of(doc.getPage(0));
      java.awt.geom.Rectangle2D frame = PaintedPaths.frames(painted).get(0);
      List<PaintedPaths.Painted> trend =
          painted.stream()
              .filter(p -> p.is(ReportCharts.TREND) && !PaintedPaths.legendKey(p, frame))
              .toList();
      assertThat(trend).isNotEmpty().allMatch(p -> PaintedPaths.within(p, frame));
      // It runs down to the frame's bottom, where it is cut: it would end 200 GB below nothing,
      // at the right edge, and stops two thirds of the way there.
      PaintedPaths.Painted cut =
          trend.stream()
              .min(java.util.Comparator.comparingDouble(p -> p.visible().getMinY()))
              .orElseThrow();
      assertThat(cut.visible().getMinY()).isCloseTo(frame.getMinY(), within(0.5));
      assertThat(cut.visible().getMaxX()).isLessThan(frame.getMaxX() - 100);
      assertThat(new PDFTextStripper().getText(doc)).contains("hot @ s1").contains("shrinking");
    }
  }
}
