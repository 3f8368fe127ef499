package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strata.agent.TaskRunner;
import io.strata.agent.dicom.PatientIdKey;
import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.object.DicomHeader.Kind;
import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import io.strata.protocol.task.Task;
import io.strata.protocol.task.TaskResult;
import io.strata.protocol.task.TaskState;
import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan asked for DICOM headers, against a real S3 pool holding files written by dcmtk: each
 * object comes back classified, the PatientID only as its keyed hash, and objects that are no DICOM
 * or are cut short counted, never failing the scan.
 */
class DicomScanIT {

  static final String[] PATIENTS = {"MRN-1001", "MRN-1002", "MRN-1003"};
  static final PatientIdKey KEY = PatientIdKey.of("dicom-scan-it-key-0123456789abcdef");

  @TempDir static Path dir;
  static Pools pools;
  static PrometheusRegistry registry;
  static TaskRunner runner;

  @BeforeAll
  static void pool() throws Exception {
    pools = new Pools(dir.resolve("pools"), "a");
    DicomFiles files = new DicomFiles(dir);
    Instance ct = Instance.ct(PATIENTS[0], "1.2.826.0.1.1", "20190304");
    LocalS3Pool a = pools.get("a");
    a.put(Pools.DATASET, "s1/ct-1.dcm", files.write(ct, DicomFiles.EXPLICIT_LE));
    a.put(
        Pools.DATASET,
        "s2/mr-1.dcm",
        files.write(
            Instance.ct(PATIENTS[1], "1.2.826.0.1.2", "20240102")
                .withModality("MRImageStorage", "MR")
                .withPixelBytes(300_000),
            DicomFiles.IMPLICIT_LE));
    a.put(
        Pools.DATASET,
        "s3/cr-undated.dcm",
        files.write(
            Instance.ct(PATIENTS[2], "1.2.826.0.1.3", null)
                .withModality("ComputedRadiographyImageStorage", "CR"),
            DicomFiles.EXPLICIT_LE));
    a.put(
        Pools.DATASET,
        "s4/us-baddate.dcm",
        files.write(
            Instance.ct(PATIENTS[2], "1.2.826.0.1.4", "0304-2019")
                .withModality("UltrasoundImageStorage", "US"),
            DicomFiles.DEFLATED));
    a.put(Pools.DATASET, "s5/report.pdf", "%PDF-1.7 not an image".getBytes());
    byte[] whole = files.write(ct, DicomFiles.EXPLICIT_LE);
    a.put(Pools.DATASET, "s6/cut.dcm", Arrays.copyOf(whole, whole.length / 2));
    registry = new PrometheusRegistry();
    runner = new TaskRunner(pools.registry(), Pools.settings(), KEY, registry, Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    runner.close();
    pools.close();
  }

  private static Map<String, DicomHeader> scan() {
    TaskResult result =
        runner.run(
            Task.scan("scan-dicom", Pools.DATASET, KeyRange.ALL, "a", 1)
                .withListing()
                .withDicomHeaders(),
            1);
    assertThat(result.state()).as("%s", result.failure()).isEqualTo(TaskState.SUCCEEDED);
    return result.scan().listing().stream()
        .collect(Collectors.toMap(ListedObject::key, ListedObject::dicom));
  }

  @Test
  void classifiesEveryObjectOfThePoolByItsHeader() {
    Map<String, DicomHeader> h = scan();

    assertThat(h.get("s1/ct-1.dcm").modality()).isEqualTo("CT");
    assertThat(h.get("s1/ct-1.dcm").studyDate()).isEqualTo("20190304");
    assertThat(h.get("s1/ct-1.dcm").studyInstanceUid()).isEqualTo("1.2.826.0.1.1");
    assertThat(h.get("s2/mr-1.dcm").modality()).isEqualTo("MR");
    assertThat(h.get("s2/mr-1.dcm").seriesInstanceUid()).isEqualTo("1.2.826.0.1.2.1");
    assertThat(h.get("s3/cr-undated.dcm").kind()).isEqualTo(Kind.DICOM);
    assertThat(h.get("s3/cr-undated.dcm").studyDate()).isNull();
    assertThat(h.get("s4/us-baddate.dcm").studyDate()).isEqualTo("0304-2019");
    assertThat(h.get("s5/report.pdf").kind()).isEqualTo(Kind.NOT_DICOM);
    assertThat(h.get("s6/cut.dcm").kind()).isEqualTo(Kind.CORRUPT);
    assertThat(h.get("s3/cr-undated.dcm").patientIdHash())
        .isEqualTo(h.get("s4/us-baddate.dcm").patientIdHash())
        .as("one patient, one hash")
        .isEqualTo(KEY.hash(PATIENTS[2].getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aScanAgainReadsNoHeaderTwiceAndCountsEachKind() throws Exception {
    scan();
    scan();

    String metrics = metrics();
    assertThat(metrics)
        .contains("strata_agent_dicom_headers_total{kind=\"dicom\"} 4.0")
        .contains("strata_agent_dicom_headers_total{kind=\"not_dicom\"} 1.0")
        .contains("strata_agent_dicom_headers_total{kind=\"corrupt\"} 1.0");
    assertThat(metrics).containsPattern("strata_agent_dicom_headers_cached_total [1-9][0-9]*");
  }

  @Test
  void noPatientIdInClearInTheResultOrTheMetrics() throws Exception {
    TaskResult result =
        runner.run(
            Task.scan("scan-json", Pools.DATASET, KeyRange.ALL, "a", 1)
                .withListing()
                .withDicomHeaders(),
            1);
    ObjectMapper json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    String sent = json.writeValueAsString(result);
    String metrics = metrics();

    for (String patient : PATIENTS) {
      assertThat(sent).doesNotContain(patient);
      assertThat(metrics).doesNotContain(patient);
    }
    assertThat(sent).contains(KEY.hash(PATIENTS[0].getBytes(StandardCharsets.US_ASCII)));
  }

  private static String metrics() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
