package io.strata.demo;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic imaging archives of a few hospitals: DICOM-sized objects (about 0.5 MB) with the
 * metadata a PACS export carries (modality, study date spread over six years, patient class),
 * written to each hospital's landing pool. Content is pseudo-random from a fixed seed, so two runs
 * write the same archive.
 */
final class DemoHospitals {
  /** A hospital feeding one dataset through one landing pool. */
  record Hospital(String dataset, String description, String landingPool) {}

  static final List<Hospital> HOSPITALS =
      List.of(
          new Hospital(
              "h01-imaging", "Imaging archive of hospital 01, Changzhou", "czzl-a-r01-hot"),
          new Hospital(
              "h02-imaging", "Imaging archive of hospital 02, Changzhou", "czzl-b-r01-hot"),
          new Hospital("h03-imaging", "Imaging archive of hospital 03, Liyang", "lytm-a-r01-hot"));

  private static final String[] MODALITIES = {"CT", "MR", "CR", "DX", "US", "MG"};

  private DemoHospitals() {}

  /**
   * Writes {@code studies} objects to the hospital's landing pool. Idempotent: the same keys and
   * bytes are written again.
   *
   * @param today the date the study dates count back from
   */
  static void load(Hospital hospital, MinioClient pool, int studies, LocalDate today)
      throws Exception {
    if (!pool.bucketExists(BucketExistsArgs.builder().bucket(hospital.dataset()).build())) {
      pool.makeBucket(MakeBucketArgs.builder().bucket(hospital.dataset()).build());
    }
    Random random = new Random(hospital.dataset().hashCode());
    for (int i = 0; i < studies; i++) {
      write(hospital, pool, today.minusDays(random.nextInt(6 * 365)), random, "." + i);
    }
  }

  /**
   * Writes one new study of {@code day} to the hospital's landing pool, as a PACS sends the day's
   * studies while the demo runs.
   *
   * @param seq makes the study's id unique among those the demo writes
   */
  static void admit(Hospital hospital, MinioClient pool, LocalDate day, long seq) throws Exception {
    write(hospital, pool, day, new Random(seq * 31 + hospital.dataset().hashCode()), ".n" + seq);
  }

  private static void write(
      Hospital hospital, MinioClient pool, LocalDate studyDate, Random random, String suffix)
      throws Exception {
    String modality = MODALITIES[random.nextInt(MODALITIES.length)];
    String patientClass = random.nextInt(3) == 0 ? "inpatient" : "outpatient";
    String studyUid = "1.2.156.112605." + Math.abs(random.nextLong() % 1_000_000_000L) + suffix;
    String key =
        "studies/%d/%02d/%s/series-1/instance-0001.dcm"
            .formatted(studyDate.getYear(), studyDate.getMonthValue(), studyUid);
    byte[] body = new byte[400 * 1024 + random.nextInt(200 * 1024)];
    random.nextBytes(body);
    pool.putObject(
        PutObjectArgs.builder().bucket(hospital.dataset()).object(key).stream(
                new ByteArrayInputStream(body), body.length, -1)
            .contentType("application/dicom")
            .userMetadata(
                Map.of(
                    "modality",
                    modality,
                    "study-date",
                    studyDate.toString(),
                    "patient-class",
                    patientClass,
                    "hospital",
                    hospital.dataset().substring(0, 3)))
            .build());
  }
}
