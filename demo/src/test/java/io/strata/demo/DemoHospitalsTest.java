package io.strata.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import io.strata.runtime.s3.PoolCredentials;
import io.strata.runtime.s3.TestS3;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic hospitals, writing to a real S3 pool (S3Proxy). */
class DemoHospitalsTest {
  private static final PoolCredentials KEYS =
      new PoolCredentials("TESTACCESSKEY", "test-secret-key-0123456789");

  @TempDir Path dir;

  private static List<String> keys(MinioClient pool, String bucket) throws Exception {
    List<String> out = new ArrayList<>();
    for (Result<Item> r :
        pool.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
      if (!r.get().objectName().endsWith("/")) {
        out.add(r.get().objectName());
      }
    }
    return out;
  }

  @Test
  void theArchiveIsWrittenOnceAndEachAdmittedStudyIsANewOneOfTheDay() throws Exception {
    DemoHospitals.Hospital hospital = DemoHospitals.HOSPITALS.get(0);
    LocalDate today = LocalDate.parse("2026-11-30");
    try (EmbeddedS3Pool s3 = EmbeddedS3Pool.start(dir.resolve("pool"), 0, KEYS)) {
      MinioClient pool = TestS3.client(s3.endpoint().toString(), KEYS);
      DemoDicom dicom = DemoDicom.load(dir.resolve("dicom"));
      DemoHospitals.load(hospital, pool, dicom, 3, today);
      DemoHospitals.load(hospital, pool, dicom, 3, today);
      List<String> archive = keys(pool, hospital.dataset());
      assertThat(archive).as("the same three studies, written twice").hasSize(3);

      DemoHospitals.admit(hospital, pool, dicom, today, 1);
      DemoHospitals.admit(hospital, pool, dicom, today, 2);
      List<String> all = keys(pool, hospital.dataset());
      assertThat(all).hasSize(5).containsAll(archive);
      all.removeAll(archive);
      for (String key : all) {
        assertThat(key).startsWith("studies/2026/11/").endsWith("/series-1/instance-0001.dcm");
        StatObjectResponse stat =
            pool.statObject(
                StatObjectArgs.builder().bucket(hospital.dataset()).object(key).build());
        assertThat(stat.userMetadata()).containsEntry("study-date", "2026-11-30");
        assertThat(stat.contentType()).isEqualTo("application/dicom");
        assertThat(stat.size()).isBetween(400L * 1024, 600L * 1024);
        assertThat(dicomHeader(pool, hospital.dataset(), key))
            .as("a DICOM file of a synthetic patient, dated the day it was admitted")
            .contains("DICM", "20261130", "Synthetic^Patient", "SYN")
            .doesNotContain("19000101");
      }
      assertThat(
              keys(pool, hospital.inpatientRecords()).size()
                  + keys(pool, hospital.outpatientRecords()).size())
          .as("a record for each of the three studies and each admitted one")
          .isEqualTo(5);
    }
  }

  @Test
  void hospitalsBeyondTheThirdLandInTurnOnTheHotPoolsAndTooManyAreRefused() {
    List<DemoHospitals.Hospital> all = DemoHospitals.hospitals(DemoHospitals.MAX);
    assertThat(all)
        .hasSize(37)
        .startsWith(DemoHospitals.HOSPITALS.toArray(new DemoHospitals.Hospital[0]));
    assertThat(all.get(36).datasets())
        .extracting(DemoHospitals.Dataset::name, DemoHospitals.Dataset::policy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("h37-imaging", "imaging-archive"),
            org.assertj.core.groups.Tuple.tuple("h37-inpatient-records", "inpatient-records"),
            org.assertj.core.groups.Tuple.tuple("h37-outpatient-records", "outpatient-records"));
    assertThat(all.get(3).landingPool()).isEqualTo(all.get(0).landingPool());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoHospitals.hospitals(38))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--hospitals must be between 1 and 37");
  }

  private static String dicomHeader(MinioClient pool, String bucket, String key) throws Exception {
    try (var in =
        pool.getObject(
            io.minio.GetObjectArgs.builder().bucket(bucket).object(key).length(4096L).build())) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }
}
