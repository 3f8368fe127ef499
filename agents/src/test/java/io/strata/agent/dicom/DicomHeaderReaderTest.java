package io.strata.agent.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.object.DicomHeader.Kind;
import io.strata.runtime.DicomFiles;
import io.strata.runtime.DicomFiles.Instance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header reader on files written by dcmtk: every transfer syntax, and what goes wrong. */
class DicomHeaderReaderTest {

  static final PatientIdKey KEY = PatientIdKey.of("test-key-0123456789abcdef0123456789");
  static final String PATIENT = "MRN-0042";
  static final String STUDY = "1.2.826.0.1.3680043.9.7133.42";

  @TempDir static Path dir;
  static DicomFiles files;

  @BeforeAll
  static void files() {
    files = new DicomFiles(dir);
  }

  private static DicomHeader whole(byte[] file) {
    var reading = DicomHeaderReader.read(file, file.length, KEY::hash);
    assertThat(reading).isInstanceOf(DicomHeaderReader.Done.class);
    return ((DicomHeaderReader.Done) reading).header();
  }

  @Test
  void readsTheFiveAttributesInEveryTransferSyntax() throws Exception {
    Instance ct = Instance.ct(PATIENT, STUDY, "20190304");
    for (String syntax :
        new String[] {
          DicomFiles.EXPLICIT_LE,
          DicomFiles.IMPLICIT_LE,
          DicomFiles.EXPLICIT_BE,
          DicomFiles.DEFLATED
        }) {
      DicomHeader h = whole(files.write(ct, syntax));

      assertThat(h.kind()).as(syntax).isEqualTo(Kind.DICOM);
      assertThat(h.studyInstanceUid()).as(syntax).isEqualTo(STUDY);
      assertThat(h.seriesInstanceUid()).as(syntax).isEqualTo(STUDY + ".1");
      assertThat(h.studyDate()).as(syntax).isEqualTo("20190304");
      assertThat(h.modality()).as(syntax).isEqualTo("CT");
      assertThat(h.patientIdHash())
          .as(syntax)
          .isEqualTo(KEY.hash(PATIENT.getBytes(StandardCharsets.US_ASCII)));
    }
  }

  @Test
  void keepsOnlyAKeyedHashOfThePatientId() throws Exception {
    DicomHeader h = whole(files.write(Instance.ct(PATIENT, STUDY, "20190304"), "+te"));

    assertThat(h.toString()).doesNotContain(PATIENT);
    assertThat(h.patientIdHash()).matches("[0-9a-f]{32}");
    assertThat(PatientIdKey.of("another-key-0123456789abcdef").hash(PATIENT.getBytes()))
        .as("another fleet's key gives another hash")
        .isNotEqualTo(h.patientIdHash());
    assertThat(KEY.toString()).doesNotContain("test-key");
  }

  @Test
  void readsSeveralModalities() throws Exception {
    String[][] kinds = {
      {"MRImageStorage", "MR"},
      {"ComputedRadiographyImageStorage", "CR"},
      {"UltrasoundImageStorage", "US"},
      {"DigitalXRayImageStorageForPresentation", "DX"}
    };
    for (String[] kind : kinds) {
      DicomHeader h =
          whole(
              files.write(
                  Instance.ct("P-" + kind[1], STUDY, "20200101").withModality(kind[0], kind[1]),
                  DicomFiles.EXPLICIT_LE));
      assertThat(h.modality()).isEqualTo(kind[1]);
    }
  }

  @Test
  void aMissingStudyDateIsNullAndAMalformedOneIsKeptAsWritten() throws Exception {
    DicomHeader missing =
        whole(files.write(Instance.ct(PATIENT, STUDY, null), DicomFiles.EXPLICIT_LE));
    DicomHeader malformed =
        whole(files.write(Instance.ct(PATIENT, STUDY, "2019-3-4"), DicomFiles.IMPLICIT_LE));

    assertThat(missing.kind()).isEqualTo(Kind.DICOM);
    assertThat(missing.studyDate()).isNull();
    assertThat(missing.studyInstanceUid()).isEqualTo(STUDY);
    assertThat(malformed.kind()).isEqualTo(Kind.DICOM);
    assertThat(malformed.studyDate()).isEqualTo("2019-3-4");
  }

  @Test
  void noPatientIdMeansNoHash() throws Exception {
    DicomHeader h = whole(files.write(Instance.ct(null, STUDY, "20190304"), "+te"));

    assertThat(h.kind()).isEqualTo(Kind.DICOM);
    assertThat(h.patientIdHash()).isNull();
  }

  @Test
  void anotherKindOfFileIsNotDicom() {
    byte[] png = new byte[300];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 0, png, 0, 4);

    assertThat(whole(png).kind()).isEqualTo(Kind.NOT_DICOM);
    assertThat(whole("hello".getBytes()).kind()).isEqualTo(Kind.NOT_DICOM);
    assertThat(whole(new byte[0]).kind()).isEqualTo(Kind.NOT_DICOM);
  }

  @Test
  void aFileCutShortInItsHeaderIsCorruptAndSaysWhere() throws Exception {
    byte[] file = files.write(Instance.ct(PATIENT, STUDY, "20190304"), DicomFiles.EXPLICIT_LE);
    for (int cut : new int[] {140, 200, 360, 420}) {
      byte[] truncated = Arrays.copyOf(file, cut);

      DicomHeader h = whole(truncated);

      assertThat(h.kind()).as("cut at %d", cut).isEqualTo(Kind.CORRUPT);
      assertThat(h.problem())
          .as("cut at %d", cut)
          .containsAnyOf("cut short", "no StudyInstanceUID");
      assertThat(h.toString()).doesNotContain(PATIENT);
    }
  }

  @Test
  void aPrefixThatEndsTooEarlyAsksForMore() throws Exception {
    byte[] file = files.write(Instance.ct(PATIENT, STUDY, "20190304"), DicomFiles.EXPLICIT_LE);

    var reading = DicomHeaderReader.read(Arrays.copyOf(file, 200), file.length, KEY::hash);

    assertThat(reading).isInstanceOf(DicomHeaderReader.NeedMore.class);
    assertThat(((DicomHeaderReader.NeedMore) reading).bytes()).isGreaterThan(200);
  }

  @Test
  void anUnknownTransferSyntaxIsCorruptAndNamed() throws Exception {
    byte[] file = files.write(Instance.ct(PATIENT, STUDY, "20190304"), DicomFiles.EXPLICIT_LE);
    String text = new String(file, StandardCharsets.ISO_8859_1);
    // Same length as 1.2.840.10008.1.2.1, so nothing else moves.
    byte[] bad =
        text.replace("1.2.840.10008.1.2.1\0", "9.9.999.99999.9.9.9\0")
            .getBytes(StandardCharsets.ISO_8859_1);

    DicomHeader h = whole(bad);

    assertThat(h.kind()).isEqualTo(Kind.CORRUPT);
    assertThat(h.problem()).contains("transfer syntax '9.9.999.99999.9.9.9'");
  }

  @Test
  void stopsBeforeThePixelData() throws Exception {
    byte[] file =
        files.write(
            Instance.ct(PATIENT, STUDY, "20190304").withPixelBytes(200_000),
            DicomFiles.EXPLICIT_LE);
    int pixelData = file.length - 200_000;

    var reading = DicomHeaderReader.read(Arrays.copyOf(file, pixelData), file.length, KEY::hash);

    assertThat(reading).isInstanceOf(DicomHeaderReader.Done.class);
    assertThat(((DicomHeaderReader.Done) reading).header().studyInstanceUid()).isEqualTo(STUDY);
  }

  @Test
  void garbageAfterTheDicmPrefixIsCorruptNeverAnException() {
    byte[] file = new byte[2000];
    new java.util.Random(7).nextBytes(file);
    System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, file, 128, 4);
    for (int seed = 0; seed < 200; seed++) {
      new java.util.Random(seed).nextBytes(file);
      System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, file, 128, 4);
      file[132] = 2; // group 0002, so the reader goes past the prefix
      file[133] = 0;

      var reading = DicomHeaderReader.read(file, file.length, KEY::hash);

      assertThat(reading).isInstanceOf(DicomHeaderReader.Done.class);
      assertThat(((DicomHeaderReader.Done) reading).header().kind()).isEqualTo(Kind.CORRUPT);
    }
  }
}
