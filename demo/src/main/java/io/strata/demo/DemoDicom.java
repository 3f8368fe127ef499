package io.strata.demo;

import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's DICOM files: a small pool of real files written once by dcmtk's dump2dcm (six
 * modalities, three transfer syntaxes, synthetic patients named {@code Synthetic^Patient}), then
 * varied per instance without running dump2dcm again: the study UID, the instance number, the
 * patient id and the study date are written into the templates as placeholders of fixed length and
 * overwritten in place, so every element keeps its length and the file stays valid.
 *
 * <p>Thread-safe once built: {@link #instance} copies a template.
 */
public final class DemoDicom {
  /** Twenty digits in the study UID, overwritten with the study's number. */
  private static final String STUDY_DIGITS = "98765432109876543210";

  /** The instance's number within the study, in the series and SOP instance UIDs. */
  private static final String INSTANCE_DIGITS = "97531";

  /** Digits of the synthetic patient id {@code SYN} + nine digits. */
  private static final String PATIENT_DIGITS = "864208642";

  /** The study date (DA, YYYYMMDD). */
  private static final String DATE = "19000101";

  /** An even length, so that no UI element is padded (a root of 26 + 20 digits). */
  private static final String STUDY_UID = "1.2.826.0.1.3680043.9.7433." + STUDY_DIGITS;

  /** The modalities of the pool: SOP class and modality, with pixel data of 400 to 600 KiB. */
  private static final String[][] KINDS = {
    {"CTImageStorage", "CT"},
    {"MRImageStorage", "MR"},
    {"ComputedRadiographyImageStorage", "CR"},
    {"DigitalXRayImageStorageForPresentation", "DX"},
    {"UltrasoundImageStorage", "US"},
    {"DigitalMammographyXRayImageStorageForPresentation", "MG"}
  };

  private static final String[] SYNTAXES = {
    DicomFiles.EXPLICIT_LE, DicomFiles.IMPLICIT_LE, DicomFiles.EXPLICIT_BE
  };

  /** One template of the pool. */
  private record Template(
      String modality, byte[] bytes, int[] study, int[] instance, int[] patient, int[] date) {}

  private final List<Template> templates;

  private DemoDicom(List<Template> templates) {
    this.templates = List.copyOf(templates);
  }

  /**
   * The pool of templates in {@code dir}: read when an earlier run wrote it, else written by
   * dump2dcm (about a second for the six files).
   *
   * @throws ProgramMissingException when dump2dcm is needed and not installed (the message names
   *     the Debian package)
   */
  public static DemoDicom load(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    List<Template> out = new ArrayList<>();
    DicomFiles writer = null;
    for (int i = 0; i < KINDS.length; i++) {
      Path file = dir.resolve("template-" + KINDS[i][1] + ".dcm");
      if (!Files.exists(file)) {
        if (writer == null) {
          try {
            DicomFiles.dump2dcm();
          } catch (IOException e) {
            throw new ProgramMissingException(e.getMessage());
          }
          writer = new DicomFiles(Files.createDirectories(dir.resolve("work")));
        }
        String series = STUDY_UID + ".1." + INSTANCE_DIGITS;
        Instance instance =
            new Instance(
                KINDS[i][0],
                KINDS[i][1],
                DATE,
                "SYN" + PATIENT_DIGITS,
                STUDY_UID,
                series,
                400 * 1024 + i * 36 * 1024);
        Path partial = dir.resolve(file.getFileName() + ".part");
        Files.write(partial, writer.write(instance, SYNTAXES[i % SYNTAXES.length]));
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      byte[] bytes = Files.readAllBytes(file);
      out.add(
          new Template(
              KINDS[i][1],
              bytes,
              find(bytes, STUDY_DIGITS),
              find(bytes, INSTANCE_DIGITS),
              find(bytes, PATIENT_DIGITS),
              find(bytes, DATE)));
    }
    if (writer != null) {
      // dump2dcm's inputs and logs (the pixel data among them) are not kept.
      try (var files = Files.walk(dir.resolve("work"))) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return new DemoDicom(out);
  }

  /** dump2dcm is needed to write the templates and is not installed; nothing was written. */
  public static final class ProgramMissingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ProgramMissingException(String message) {
      super(message);
    }
  }

  /** The modalities of the pool, in order. */
  public List<String> modalities() {
    return templates.stream().map(Template::modality).toList();
  }

  /** The template files as written by dump2dcm (placeholders in place). */
  public List<byte[]> templates() {
    return templates.stream().map(t -> t.bytes().clone()).toList();
  }

  /**
   * One instance of a study: the template of {@code modality} (an index into {@link #modalities()})
   * with the study's UID, patient and date written in.
   *
   * @param study the study's number, below 10^20; its UID ends with it
   * @param instance the instance's number in the study, 0 to 99999
   * @param patient the synthetic patient's number, 0 to 999999999
   * @param studyDate YYYYMMDD
   */
  public byte[] instance(int modality, long study, int instance, int patient, String studyDate) {
    Template t = templates.get(modality);
    byte[] out = t.bytes().clone();
    put(out, t.study(), "%020d".formatted(study));
    put(out, t.instance(), "%05d".formatted(instance));
    put(out, t.patient(), "%09d".formatted(patient));
    put(out, t.date(), studyDate);
    return out;
  }

  /** The UID of study {@code study}, as {@link #instance} writes it. */
  public static String studyUid(long study) {
    return STUDY_UID.replace(STUDY_DIGITS, "%020d".formatted(study));
  }

  private static void put(byte[] bytes, int[] at, String value) {
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    for (int offset : at) {
      System.arraycopy(v, 0, bytes, offset, v.length);
    }
  }

  /** Every offset of {@code text} in {@code bytes}; at least one, else the template is wrong. */
  private static int[] find(byte[] bytes, String text) {
    byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
    List<Integer> at = new ArrayList<>();
    // The header is at the start; pixel data (zeros) follows and holds no placeholder.
    int end = Math.min(bytes.length, 64 * 1024) - needle.length;
    for (int i = 0; i <= end; i++) {
      if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
        at.add(i);
      }
    }
    if (at.isEmpty()) {
      throw new IllegalStateException("a DICOM template lacks its placeholder " + text);
    }
    return at.stream().mapToInt(Integer::intValue).toArray();
  }
}
