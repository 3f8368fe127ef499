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
      DemoHospitals.load(hospital, pool, 3, today);
      DemoHospitals.load(hospital, pool, 3, today);
      List<String> archive = keys(pool, hospital.dataset());
      assertThat(archive).as("the same three studies, written twice").hasSize(3);

      DemoHospitals.admit(hospital, pool, today, 1);
      DemoHospitals.admit(hospital, pool, today, 2);
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
      }
    }
  }
}
