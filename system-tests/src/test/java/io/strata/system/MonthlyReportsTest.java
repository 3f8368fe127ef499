package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.controller.capacity.CapacityHistory;
import io.strata.controller.capacity.MonthlyReports;
import io.strata.controller.s3.SystemDataset;
import io.strata.fleet.capacity.CapacityForecastTest;
import io.strata.fleet.capacity.CapacitySample;
import io.strata.runtime.TestClock;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monthly capacity reports, kept on a real S3 pool (S3Proxy). */
class MonthlyReportsTest {
  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  @TempDir Path dir;
  private SystemDatasetPool pool;
  private SystemDataset dataset;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-30T08:00:00Z"));

  @BeforeEach
  void startPool() throws Exception {
    pool = new SystemDatasetPool(dir.resolve("pool"));
    dataset = pool.dataset;
  }

  @AfterEach
  void stopPool() throws Exception {
    pool.close();
  }

  /** A history of {@code samples} of the test map's pools, the last one now. */
  private CapacityHistory history(int samples) throws Exception {
    CapacityHistory history =
        new CapacityHistory(
            dataset,
            () -> null,
            () -> true,
            "replica-1",
            clock,
            Duration.ofHours(1),
            Duration.ofDays(30),
            Duration.ofDays(400),
            JSON);
    List<CapacitySample> growing = CapacityForecastTest.growing(samples);
    for (int i = 0; i < samples; i++) {
      CapacitySample s = growing.get(i);
      history.record(
          new CapacitySample(
              clock.instant().minus(Duration.ofDays(samples - 1 - i)), s.pools(), s.used()));
    }
    return history;
  }

  private MonthlyReports reports(CapacityHistory history, boolean leads) {
    return new MonthlyReports(dataset, history, () -> CapacityForecastTest.MAP, () -> leads, clock);
  }

  @Test
  void theLeaderKeepsOneReportOfEachMonthAndNeverRewritesIt() throws Exception {
    CapacityHistory history = history(10);
    MonthlyReports leader = reports(history, true);
    assertThat(leader.writeIfDue()).containsExactly("2026-11.pdf", "2026-11.xlsx");
    assertThat(leader.writeIfDue()).isEmpty();
    Instant first = leader.list().get(0).lastModified();
    // A new leader finds them on the pools.
    assertThat(reports(history, true).writeIfDue()).isEmpty();
    assertThat(leader.list().get(0).lastModified()).isEqualTo(first);

    try (PDDocument pdf = Loader.loadPDF(leader.read("2026-11.pdf").orElseThrow())) {
      assertThat(new PDFTextStripper().getText(pdf))
          .contains("Strata capacity forecast", "Made 2026-11-30 08:00 UTC, by site.", "74.3 days");
    }
    try (XSSFWorkbook xlsx =
        new XSSFWorkbook(new ByteArrayInputStream(leader.read("2026-11.xlsx").orElseThrow()))) {
      assertThat(xlsx.getSheet("History").getLastRowNum()).isEqualTo(10);
    }

    clock.set(Instant.parse("2026-12-01T00:05:00Z"));
    assertThat(leader.writeIfDue()).containsExactly("2026-12.pdf", "2026-12.xlsx");
    assertThat(leader.list())
        .extracting(SystemDataset.Listed::key)
        .containsExactly(
            "reports/capacity/2026-12.xlsx",
            "reports/capacity/2026-12.pdf",
            "reports/capacity/2026-11.xlsx",
            "reports/capacity/2026-11.pdf");
  }

  @Test
  void nothingIsWrittenByAFollowerOrFromLessThanTwoSamples() throws Exception {
    assertThat(reports(history(10), false).writeIfDue()).isEmpty();
    assertThat(reports(history(1), true).writeIfDue()).isEmpty();
    assertThat(reports(history(1), true).list()).isEmpty();
  }

  @Test
  void onlyAMonthsReportIsReadByName() throws Exception {
    MonthlyReports leader = reports(history(3), true);
    leader.writeIfDue();
    assertThat(leader.read("2026-11.pdf")).isPresent();
    assertThat(leader.read("2026-10.pdf")).isEmpty();
    assertThat(leader.read("../capacity/2026/11/30.json")).isEmpty();
    assertThat(leader.read("2026-11.PDF")).isEmpty();
  }
}
