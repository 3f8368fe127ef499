package io.strata.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.bench.BenchArgs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest benchmark scaled down: three hospitals of the demo fleet (real controller, agents,
 * ZooKeeper and S3Proxy pools) sending DICOM studies for 20 seconds. Correctness only: every object
 * written ends fully placed and the line of figures has its fields; no timing is asserted.
 */
class IngestBenchIT {
  @TempDir Path dir;

  @Test
  void everyStudyWrittenEndsFullyPlacedAndTheFiguresLineNamesEachField() throws Exception {
    IngestBench.Options options =
        IngestBench.Options.parse(
            new String[] {
              "--hospitals",
              "3",
              "--seconds",
              "20",
              "--study-every",
              "10",
              "--instances",
              "2",
              "--dicom-objects",
              "20"
            });

    IngestBench.Result result = IngestBench.run(options, dir);

    assertThat(result.written()).containsOnlyKeys("h01", "h02", "h03");
    assertThat(result.written().values()).allSatisfy(n -> assertThat(n).isPositive());
    assertThat(result.placed())
        .as("every object written is fully placed")
        .isEqualTo(result.objects());
    assertThat(result.dicomHeadersPerSecond()).isPositive();
    assertThat(result.line())
        .matches(
            "ingest: hospitals=3 objects="
                + result.objects()
                + " lag_p99_s=\\d+\\.\\d dicom_headers_per_s=\\d+");
  }

  @Test
  void moreHospitalsThanTheDemoRunsAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> IngestBench.Options.parse(new String[] {"--hospitals", "38"}))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessageContaining("--hospitals must be at most 37");
  }
}
