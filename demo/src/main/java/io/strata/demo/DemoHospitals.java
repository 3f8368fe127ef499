package io.strata.demo;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic hospitals: each writes an imaging archive of real DICOM files ({@link DemoDicom}: six
 * modalities, synthetic patients) with the metadata a PACS export carries (modality, study date
 * spread over six years, patient class), and structured records (small JSON exports of the medical
 * record, inpatient and outpatient), to its landing pool. Content follows a fixed seed, so two runs
 * write the same archive.
 */
public final class DemoHospitals {
  /** The most hospitals the demo runs ({@code --hospitals}). */
  public static final int MAX = 37;

  /** The demo's hospitals when {@code --hospitals} is not given. */
  public static final int DEFAULT = 3;

  /** The hot pools of the demo topology, where hospitals land new objects in turn. */
  private static final List<String> LANDING =
      List.of("czzl-a-r01-hot", "czzl-b-r01-hot", "lytm-a-r01-hot");

  private static final List<String> CITIES = List.of("Changzhou", "Changzhou", "Liyang");

  /**
   * A hospital feeding three datasets through one landing pool: its imaging archive ({@link
   * #dataset()}, policy imaging-archive) and its inpatient and outpatient records (policies
   * inpatient-records and outpatient-records, which claim the {@code *-records} datasets).
   *
   * @param id {@code h01} to {@code h37}
   */
  public record Hospital(String id, String city, String landingPool) {
    /** The imaging dataset, e.g. {@code h01-imaging}. */
    public String dataset() {
      return id + "-imaging";
    }

    public String description() {
      return "Imaging archive of hospital " + id.substring(1) + ", " + city;
    }

    public String inpatientRecords() {
      return id + "-inpatient-records";
    }

    public String outpatientRecords() {
      return id + "-outpatient-records";
    }

    /** The hospital's datasets: name, description and the bundled policy that governs it. */
    public List<Dataset> datasets() {
      String n = id.substring(1);
      return List.of(
          new Dataset(dataset(), description(), "imaging-archive", landingPool),
          new Dataset(
              inpatientRecords(),
              "Inpatient records of hospital " + n + ", " + city,
              "inpatient-records",
              landingPool),
          new Dataset(
              outpatientRecords(),
              "Outpatient records of hospital " + n + ", " + city,
              "outpatient-records",
              landingPool));
    }

    int number() {
      return Integer.parseInt(id.substring(1));
    }
  }

  /** A dataset of the demo's controller configuration. */
  public record Dataset(String name, String description, String policy, String landingPool) {}

  /** The default demo's three hospitals. */
  static final List<Hospital> HOSPITALS = hospitals(DEFAULT);

  private DemoHospitals() {}

  /**
   * The first {@code n} hospitals: the default demo's three, then more landing in turn on the hot
   * pools of each room.
   *
   * @throws IllegalArgumentException unless 1 &le; n &le; {@link #MAX}
   */
  public static List<Hospital> hospitals(int n) {
    if (n < 1 || n > MAX) {
      throw new IllegalArgumentException("--hospitals must be between 1 and " + MAX + ", not " + n);
    }
    List<Hospital> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new Hospital(
              "h%02d".formatted(i + 1),
              CITIES.get(i % CITIES.size()),
              LANDING.get(i % LANDING.size())));
    }
    return List.copyOf(out);
  }

  /**
   * Writes {@code studies} studies (one instance each) and as many records to the hospital's
   * landing pool. Idempotent: the same keys and bytes are written again.
   *
   * @param today the date the study dates count back from
   */
  static void load(
      Hospital hospital, MinioClient pool, DemoDicom dicom, int studies, LocalDate today)
      throws Exception {
    for (String bucket :
        List.of(hospital.dataset(), hospital.inpatientRecords(), hospital.outpatientRecords())) {
      makeBucket(pool, bucket);
    }
    Random random = new Random(hospital.dataset().hashCode());
    for (int i = 0; i < studies; i++) {
      LocalDate date = today.minusDays(random.nextInt(6 * 365));
      long study = studyNumber(hospital, i);
      writeStudy(hospital, pool, dicom, study, 1, date, random);
      writeRecord(hospital, pool, study, date, random);
    }
  }

  /**
   * Makes the bucket unless it exists. The controller makes the datasets' buckets too, at the same
   * time on a first start: a bucket made meanwhile is as good as one made here.
   */
  private static void makeBucket(MinioClient pool, String bucket) throws Exception {
    if (pool.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      return;
    }
    try {
      pool.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
        throw e;
      }
    }
  }

  /**
   * Writes one new study of {@code day} and a record to the hospital's landing pool, as a PACS and
   * a record system send the day's work while the demo runs.
   *
   * @param seq makes the study's id unique among those the demo writes
   */
  static void admit(Hospital hospital, MinioClient pool, DemoDicom dicom, LocalDate day, long seq)
      throws Exception {
    Random random = new Random(seq * 31 + hospital.dataset().hashCode());
    long study = studyNumber(hospital, 100_000_000_000L + seq);
    writeStudy(hospital, pool, dicom, study, 1, day, random);
    writeRecord(hospital, pool, study, day, random);
  }

  /** A study's number: unique per hospital and {@code seq}, below 10^20. */
  public static long studyNumber(Hospital hospital, long seq) {
    return hospital.number() * 1_000_000_000_000L + seq;
  }

  /**
   * Writes a study of {@code instances} DICOM instances (one modality, one synthetic patient) to
   * the hospital's imaging dataset on {@code pool}; returns their keys in order of writing.
   */
  public static List<String> writeStudy(
      Hospital hospital,
      MinioClient pool,
      DemoDicom dicom,
      long study,
      int instances,
      LocalDate studyDate,
      Random random)
      throws Exception {
    int modality = random.nextInt(dicom.modalities().size());
    int patient = random.nextInt(1_000_000_000);
    String patientClass = random.nextInt(3) == 0 ? "inpatient" : "outpatient";
    String uid = DemoDicom.studyUid(study);
    String date = studyDate.format(DateTimeFormatter.BASIC_ISO_DATE);
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= instances; i++) {
      String key =
          "studies/%d/%02d/%s/series-1/instance-%04d.dcm"
              .formatted(studyDate.getYear(), studyDate.getMonthValue(), uid, i);
      byte[] body = dicom.instance(modality, study, i, patient, date);
      pool.putObject(
          PutObjectArgs.builder().bucket(hospital.dataset()).object(key).stream(
                  new ByteArrayInputStream(body), body.length, -1)
              .contentType("application/dicom")
              .userMetadata(
                  Map.of(
                      "modality",
                      dicom.modalities().get(modality),
                      "study-date",
                      studyDate.toString(),
                      "patient-class",
                      patientClass,
                      "hospital",
                      hospital.id()))
              .build());
      keys.add(key);
    }
    return keys;
  }

  /**
   * One structured record, as the medical-record system exports it: inpatient (a discharge summary,
   * aged from its discharge date) or outpatient (a visit, aged from its visit date).
   */
  private static void writeRecord(
      Hospital hospital, MinioClient pool, long study, LocalDate date, Random random)
      throws Exception {
    boolean inpatient = random.nextBoolean();
    String bucket = inpatient ? hospital.inpatientRecords() : hospital.outpatientRecords();
    String type = inpatient ? "inpatient" : "outpatient";
    String dateField = inpatient ? "discharge-date" : "visit-date";
    String key = "records/%d/%02d/%d.json".formatted(date.getYear(), date.getMonthValue(), study);
    String json =
        """
        {"recordType":"%s","%s":"%s","patient":"SYN%09d","hospital":"%s",\
        "diagnosis":"ICD-10 J18.9","note":"Synthetic record of the Strata demo"}
        """
            .formatted(type, dateField, date, random.nextInt(1_000_000_000), hospital.id());
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    pool.putObject(
        PutObjectArgs.builder().bucket(bucket).object(key).stream(
                new ByteArrayInputStream(body), body.length, -1)
            .contentType("application/json")
            .userMetadata(
                Map.of("record-type", type, dateField, date.toString(), "hospital", hospital.id()))
            .build());
  }
}
