package io.strata.controller.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.strata.controller.capacity.CapacityPlanner.AddedRacks;
import io.strata.controller.capacity.CapacityPlanner.GroupView;
import io.strata.controller.capacity.CapacityPlanner.Onboarding;
import io.strata.controller.capacity.CapacityPlanner.PlanRequest;
import io.strata.controller.capacity.CapacityPlanner.PlanView;
import io.strata.controller.capacity.CapacityPlanner.RackModelBody;
import io.strata.fleet.capacity.AgeProfile;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.fleet.capacity.PurchasePlan;
import io.strata.fleet.capacity.TestSamples;
import io.strata.policy.evaluate.PolicySet;
import io.strata.policy.parse.PolicyParser;
import io.strata.policy.parse.PolicySource;
import io.strata.topology.ClusterMap;
import io.strata.topology.TopologyFile;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** The purchase plan as the API and the reports give it, and the what-ifs it refuses. */
class CapacityPlannerTest {
  private static final long GB = 1_000_000_000L;
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Duration WINDOW = Duration.ofDays(60);

  /** Hot at s1 (two 1 TB pools, ceiling 0.8), cold at s2 (10 TB), warm at s2 draining. */
  static final ClusterMap MAP =
      TopologyFile.parse(
          "topology.yaml",
          """
          tiers:
            - {name: hot, fillCeiling: 0.8}
            - {name: warm, fillCeiling: 0.9}
            - {name: cold, fillCeiling: 0.9}
          domains:
            - {id: region-1, level: region}
            - {id: s1, level: site, parent: region-1}
            - {id: s2, level: site, parent: region-1}
            - {id: room-a, level: room, parent: s1}
            - {id: room-b, level: room, parent: s1}
            - {id: room-c, level: room, parent: s2}
            - {id: node-1, level: node, parent: room-a}
            - {id: node-2, level: node, parent: room-b}
            - {id: node-3, level: node, parent: room-c}
            - {id: node-5, level: node, parent: room-c}
          pools:
            - {id: p1, domain: node-1, tier: hot, endpoint: "http://127.0.0.1:9001", capacity: 1TB, credentials: "file:k"}
            - {id: p2, domain: node-2, tier: hot, endpoint: "http://127.0.0.1:9002", capacity: 1TB, credentials: "file:k"}
            - {id: p3, domain: node-3, tier: cold, endpoint: "http://127.0.0.1:9003", capacity: 10TB, credentials: "file:k"}
            - {id: p5, domain: node-5, tier: warm, endpoint: "http://127.0.0.1:9005", capacity: 5TB, credentials: "file:k", state: draining}
          """);

  static final PolicySet POLICIES =
      PolicySet.of(
          PolicyParser.parse(
                  new PolicySource(
                      "imaging.yaml",
                      """
                      policy: imaging
                      datasets: ["*-imaging"]
                      recordClass: inpatient
                      phases:
                        0d: 2 × hot spread room
                        30d: cold spread site
                      retention:
                        minimum: 30y
                      """))
              .orThrow());

  /**
   * 40 daily samples: hot at s1 from 350 GB, +15 GB a day; cold at 4 TB; warm draining 5 GB a day.
   */
  static List<CapacitySample> history() {
    List<CapacitySample> out = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      Map<String, Long> used = new LinkedHashMap<>();
      used.put("p1", 100 * GB + d * 10 * GB);
      used.put("p2", 250 * GB + d * 5 * GB);
      used.put("p3", 4_000 * GB);
      used.put("p5", 900 * GB - d * 5 * GB);
      out.add(TestSamples.sample(T0.plus(Duration.ofDays(d)), used));
    }
    return out;
  }

  static final LocalDate TODAY = LocalDate.of(2026, 12, 10);

  static final CapacityPlanner.Settings SETTINGS =
      new CapacityPlanner.Settings(
          180,
          0.95,
          List.of(new PurchasePlan.RackModel("nvme-1u", "hot", 900 * GB, 4.5, 100_000, 30)));

  static PlanView plan(PlanRequest request) {
    return CapacityPlanner.plan(
        MAP, POLICIES, history(), WINDOW, T0.plus(Duration.ofDays(40)), SETTINGS, request);
  }

  static PlanRequest request(
      Integer horizonDays,
      Double confidence,
      List<RackModelBody> rackModels,
      List<Onboarding> onboard,
      List<AddedRacks> addRacks) {
    return new PlanRequest(horizonDays, confidence, rackModels, onboard, addRacks, null);
  }

  static GroupView group(PlanView view, String tier) {
    return view.groups().stream().filter(g -> g.tier().equals(tier)).findFirst().orElseThrow();
  }

  @Test
  void aGrowingTierFillsOnTheDayItsProjectionReachesTheLimitAndRacksAreOrderedALeadTimeBefore() {
    PlanView view = plan(PlanRequest.NONE);

    assertThat(view.today()).isEqualTo(TODAY);
    assertThat(view.historyDays()).isEqualTo(40);
    GroupView hot = group(view, "hot");
    // 935 GB today, +15 GB a day, to 1.6 TB: past it on day 45.
    assertThat(hot.usedBytes()).isEqualTo(935 * GB);
    assertThat(hot.status()).isEqualTo("fills");
    assertThat(hot.fullOn()).isEqualTo(TODAY.plusDays(45));
    assertThat(hot.trendFullOn()).isEqualTo(TODAY.plusDays(45));
    // 720 GB a rack under the ceiling: 2 racks for day 135's 2,960 GB, then past 3,040 GB on day
    // 141, 1 for day 180's 3,635.
    assertThat(view.plan().orders())
        .extracting(o -> o.orderBy() + " " + o.neededBy() + " " + o.racks())
        .containsExactly(
            TODAY.plusDays(15) + " " + TODAY.plusDays(45) + " 2",
            TODAY.plusDays(111) + " " + TODAY.plusDays(141) + " 1");
    assertThat(view.plan().costByQuarter())
        .containsExactly(Map.entry("2026-Q4", 200_000.0), Map.entry("2027-Q1", 100_000.0));
    // The limit of the points steps up as the racks arrive.
    assertThat(hot.points().get(0).limit()).isEqualTo(1600 * GB);
    assertThat(hot.points().get(hot.points().size() - 1).limit()).isEqualTo(3760 * GB);
  }

  @Test
  void aDrainedTierIsReportedWithoutCapacityAndItsReasonNotFull() {
    GroupView warm = group(plan(PlanRequest.NONE), "warm");

    assertThat(warm.status()).isEqualTo("no-capacity");
    assertThat(warm.reason()).isEqualTo("1 pool draining");
    assertThat(warm.fullOn()).isNull();
  }

  @Test
  void anOnboardedHospitalGoesThroughItsPolicysPhases() {
    PlanView view =
        plan(
            request(
                null, null, null, List.of(new Onboarding("h9-imaging", "imaging", "10GB")), null));

    GroupView hot = group(view, "hot");
    GroupView cold = group(view, "cold");
    // Day 28: 935 + 15 × 28 GB of growth, and 2 hot copies of 28 days of 10 GB.
    CapacityPlanner.Point day28 = hot.points().get(4);
    assertThat(day28.day()).isEqualTo(TODAY.plusDays(28));
    assertThat(day28.mean()).isCloseTo((935 + 420 + 560) * GB, within(GB / 1000));
    // Day 35: 5 days of data have reached 30 days and have one cold copy.
    assertThat(cold.points().get(5).mean()).isCloseTo((4000 + 50) * GB, within(GB / 1000));
    assertThat(hot.fullOn()).isBefore(TODAY.plusDays(45));
  }

  @Test
  void aPolicyChangedInAWhatIfMovesTheOnboardedDataOnItsNewPhases() {
    String sooner =
        """
        policy: imaging
        datasets: ["*-imaging"]
        recordClass: inpatient
        phases:
          0d: 2 × hot spread room
          7d: cold spread site
        retention:
          minimum: 30y
        """;
    PlanView view =
        plan(
            new PlanRequest(
                null,
                null,
                null,
                List.of(new Onboarding("h9-imaging", "imaging", "10GB")),
                null,
                Map.of("imaging", sooner)));

    // Day 28: only the last 7 days' 2 hot copies, 140 GB, beside the tier's own growth.
    CapacityPlanner.Point day28 = group(view, "hot").points().get(4);
    assertThat(day28.mean()).isCloseTo((935 + 420 + 140) * GB, within(GB / 1000));
    assertThatThrownBy(
            () ->
                plan(
                    new PlanRequest(
                        null,
                        null,
                        null,
                        null,
                        null,
                        Map.of("imaging", sooner.replace("7d: cold", "7d: tape")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("policies.imaging: [imaging.yaml:")
        .hasMessageContaining("tape");
  }

  @Test
  void racksAddedInAWhatIfPutTheFillDateOff() {
    PlanView view = plan(request(null, null, null, null, List.of(new AddedRacks("hot", "s1", 1))));

    // 720 GB more under the ceiling: 2,320 GB, reached on day 93 (by 935 + 15 × 92.3).
    assertThat(group(view, "hot").fullOn()).isEqualTo(TODAY.plusDays(93));
  }

  @Test
  void refusesABadWhatIfNamingTheField() {
    assertThatThrownBy(
            () ->
                plan(
                    request(
                        null,
                        null,
                        List.of(new RackModelBody("r", "hot", "-1TB", 1.0, 1.0, 10)),
                        null,
                        null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rackModels[0].usable: -1TB is not a capacity");
    assertThatThrownBy(
            () ->
                plan(
                    request(
                        null,
                        null,
                        List.of(new RackModelBody("r", "hot", "1TB", 1.0, 1.0, 400)),
                        null,
                        null)))
        .hasMessageStartingWith("rackModels[0].leadTimeDays: 400 is not between 0 and the horizon");
    assertThatThrownBy(
            () ->
                plan(request(null, null, null, null, List.of(new AddedRacks("hot", "nowhere", 1)))))
        .hasMessageStartingWith("addRacks[0].site: 'nowhere' is not a site of the map");
    assertThatThrownBy(
            () -> plan(request(null, null, null, null, List.of(new AddedRacks("ssd", "s1", 1)))))
        .hasMessageStartingWith("addRacks[0].tier: unknown tier 'ssd'");
    assertThatThrownBy(
            () ->
                plan(
                    request(
                        null,
                        null,
                        null,
                        List.of(new Onboarding("x-imaging", "none", "1TB")),
                        null)))
        .hasMessageStartingWith("onboard[0].policy: no policy 'none'");
    assertThatThrownBy(() -> plan(request(5, null, null, null, null)))
        .hasMessageStartingWith("horizonDays: 5");
  }

  @Test
  void theWorkbookHoldsTheFillDatesThePlanAndTheProjectionWithItsBand() throws Exception {
    byte[] xlsx = PlanWorkbook.write(plan(PlanRequest.NONE));

    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
      XSSFSheet plan = wb.getSheet("Plan");
      List<String> firstCells = new ArrayList<>();
      plan.forEach(
          row ->
              firstCells.add(
                  row.getCell(0) == null
                      ? ""
                      : row.getCell(0).toString()
                          + "|"
                          + (row.getCell(5) == null ? "" : row.getCell(5).toString())));
      assertThat(firstCells)
          .contains("Purchase plan|", "Cost by quarter|", "2026-12-25|2.0", "2027-03-31|1.0");
      XSSFSheet projection = wb.getSheet("Projection");
      assertThat(projection.getRow(0).getCell(4).getStringCellValue()).isEqualTo("lower_95");
      assertThat(projection.getRow(0).getCell(5).getStringCellValue()).isEqualTo("upper_95");
      var charts = projection.getDrawingPatriarch().getCharts();
      // Hot and cold have capacity; warm, drained, has no chart.
      assertThat(charts).hasSize(2);
      assertThat(charts.get(0).getChartSeries().get(0).getSeriesCount()).isEqualTo(5);
    }
  }

  @Test
  void thePdfHoldsTheTablesAndAChartWithItsLegendAndTicksPerTierWithCapacity() throws Exception {
    byte[] pdf = PlanPdf.write(plan(PlanRequest.NONE));

    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getNumberOfPages()).isEqualTo(2);
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setStartPage(1);
      stripper.setEndPage(1);
      assertThat(stripper.getText(doc))
          .contains("Strata capacity plan")
          .contains("Purchase plan")
          .contains("2026-12-25")
          .contains("nvme-1u")
          .contains("2026-Q4: 200,000")
          .contains("no usable capacity: 1 pool draining");
      stripper.setStartPage(2);
      stripper.setEndPage(2);
      String charts = stripper.getText(doc);
      // Hot and cold have a chart each; warm, drained, has none (its row above says why).
      assertThat(charts)
          .contains("hot @ s1: full on " + TODAY.plusDays(45))
          .contains("cold @ s2: not full within the horizon")
          .doesNotContain("warm @ s2");
      // The legends and the ticks are text: each chart's five keys, dates and sizes in binary
      // units.
      for (String key :
          List.of("95% interval", "80% interval", "projection", "plain trend", "limit + racks")) {
        assertThat(charts.split(java.util.regex.Pattern.quote(key), -1)).as(key).hasSize(3);
      }
      assertThat(charts)
          .contains(TODAY.plusDays(4).toString())
          .containsPattern("\\b1\\.5 TiB\\b")
          .contains("8 TiB")
          .contains("date (UTC)");
    }
  }

  /**
   * 40 days of history that wobble about the trends of {@link #history()}, so that the intervals
   * are wide: cold's 95% band reaches below nothing within the horizon.
   */
  static List<CapacitySample> wobblingHistory() {
    List<CapacitySample> out = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      Map<String, Long> used = new LinkedHashMap<>();
      used.put("p1", 100 * GB + d * 10 * GB + (d * 7 % 5 - 2) * 6 * GB);
      used.put("p2", 250 * GB + d * 5 * GB + (d * 3 % 4 - 1) * 4 * GB);
      used.put("p3", 4_000 * GB + (d * 5 % 7 - 3) * 40 * GB);
      used.put("p5", 900 * GB - d * 5 * GB);
      out.add(TestSamples.sample(T0.plus(Duration.ofDays(d)), used));
    }
    return out;
  }

  @Test
  void eachChartFillsItsBandsAndDrawsItsLinesAsVectorsCutAtThePlotsFrame() throws Exception {
    PlanView view =
        CapacityPlanner.plan(
            MAP,
            POLICIES,
            wobblingHistory(),
            WINDOW,
            T0.plus(Duration.ofDays(40)),
            SETTINGS,
            PlanRequest.NONE);
    try (PDDocument doc = Loader.loadPDF(PlanPdf.write(view))) {
      List<PaintedPaths.Painted> painted = PaintedPaths.of(doc.getPage(1));
      List<java.awt.geom.Rectangle2D> frames = PaintedPaths.frames(painted);
      assertThat(frames).hasSize(2);
      List<java.awt.Color> series =
          List.of(
              ReportCharts.BAND_95,
              ReportCharts.BAND_80,
              ReportCharts.PROJECTION,
              ReportCharts.TREND,
              ReportCharts.LIMIT);
      for (java.awt.geom.Rectangle2D frame : frames) {
        // The bands are filled, the lines stroked, within the frame.
        for (java.awt.Color colour : series) {
          boolean band = colour.equals(ReportCharts.BAND_95) || colour.equals(ReportCharts.BAND_80);
          assertThat(
                  painted.stream()
                      .filter(p -> p.is(colour) && p.filled() == band)
                      .filter(p -> PaintedPaths.within(p, frame) && p.visible().getWidth() > 1))
              .as("%s in the plot at %s", colour, frame)
              .isNotEmpty();
        }
      }
      // Nothing of a series shows outside its plot's frame but the legend's keys.
      assertThat(PaintedPaths.strays(painted, series)).isEmpty();
      // Cold's 95% band runs below nothing: it is cut at the frame, not drawn past it.
      assertThat(
              painted.stream()
                  .filter(p -> p.is(ReportCharts.BAND_95) && p.filled())
                  .filter(p -> frames.stream().noneMatch(f -> PaintedPaths.legendKey(p, f)))
                  .filter(p -> frames.stream().noneMatch(f -> f.contains(p.bounds()))))
          .isNotEmpty()
          .allMatch(p -> frames.stream().anyMatch(f -> PaintedPaths.within(p, f)));
    }
  }

  /**
   * 40 daily samples that also count h01-imaging, writing 10 GB a day from day 0 under imaging (two
   * hot copies for 30 days, then one cold): hot at s1 holds its 30 newest days twice and 100 GB of
   * other data, cold at s2 its older days and 4 TB of other data; warm drains as in {@link
   * #history()}.
   */
  static List<CapacitySample> historyWithDatasets() {
    List<CapacitySample> out = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      long hot = 10 * GB * Math.min(d + 1, 30);
      Map<String, Long> used = new LinkedHashMap<>();
      used.put("p1", 50 * GB + hot);
      used.put("p2", 50 * GB + hot);
      used.put("p3", 4_000 * GB + 10 * GB * Math.max(0, d + 1 - 30));
      used.put("p5", 900 * GB - d * 5 * GB);
      long[] ages = new long[0];
      for (int t = 0; t <= d; t++) {
        ages = AgeProfile.add(ages, d - t, 10 * GB);
      }
      out.add(
          TestSamples.sample(T0.plus(Duration.ofDays(d)), used)
              .withDatasets(
                  List.of(
                      new CapacitySample.DatasetBytes(
                          "h01-imaging", "imaging", 10 * GB * (d + 1), ages))));
    }
    return out;
  }

  @Test
  void aTierWhoseDatasetsHaveHistoryGoesThroughTheirPolicyAndLevelsOffWhereItsTrendFills()
      throws Exception {
    PlanView view =
        CapacityPlanner.plan(
            MAP,
            POLICIES,
            historyWithDatasets(),
            WINDOW,
            T0.plus(Duration.ofDays(40)),
            SETTINGS,
            PlanRequest.NONE);

    assertThat(view.datasets()).containsExactly("h01-imaging (imaging)");
    GroupView hot = group(view, "hot");
    GroupView cold = group(view, "cold");
    assertThat(hot.method()).isEqualTo("policy-aware");
    assertThat(cold.method()).isEqualTo("policy-aware");
    assertThat(group(view, "warm").method()).isEqualTo("net-growth");
    // Hot holds 30 days of 10 GB twice, and its other 100 GB: 700 GB, day after day, while the
    // plain trend through last month's climb reaches its 1,600 GB limit on day 55.
    assertThat(hot.usedBytes()).isEqualTo(700 * GB);
    assertThat(hot.points())
        .allSatisfy(p -> assertThat(p.mean()).isCloseTo(700 * GB, within(GB / 1000)));
    assertThat(hot.status()).isEqualTo("not-within-horizon");
    assertThat(hot.fullOn()).isNull();
    assertThat(hot.trendFullOn()).isEqualTo(TODAY.plusDays(55));
    // Cold takes each day's 10 GB as it turns 30 days old.
    assertThat(cold.points().get(5).day()).isEqualTo(TODAY.plusDays(35));
    assertThat(cold.points().get(5).mean()).isCloseTo((4_100 + 350) * GB, within(GB / 1000));
    // The reports say so.
    try (PDDocument doc = Loader.loadPDF(PlanPdf.write(view))) {
      assertThat(new PDFTextStripper().getText(doc))
          .contains("Tiers projected: cold policy-aware, hot policy-aware, warm net-growth.")
          .contains("Through their policies: h01-imaging (imaging).");
    }
  }

  @Test
  void aHistoryWithoutDatasetsProjectsEveryTierOnItsOwnGrowth() {
    PlanView view = plan(PlanRequest.NONE);

    assertThat(view.datasets()).isEmpty();
    assertThat(view.groups()).extracting(GroupView::method).containsOnly("net-growth");
  }
}
