package io.strata.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.dicom.DicomHeaderReader;
import io.strata.protocol.object.DicomHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's DICOM files (dcmtk's dump2dcm), read back by the agent's header reader. */
class DemoDicomTest {
  @TempDir Path dir;

  private static DicomHeader header(byte[] file) {
    var reading =
        DicomHeaderReader.read(
            java.util.Arrays.copyOf(file, Math.min(file.length, 64 * 1024)),
            file.length,
            id -> "hash-of-" + new String(id, StandardCharsets.US_ASCII).trim());
    assertThat(reading).isInstanceOf(DicomHeaderReader.Done.class);
    return ((DicomHeaderReader.Done) reading).header();
  }

  @Test
  void everyInstanceCarriesItsStudyPatientAndDateInAValidHeaderOfItsModality() throws Exception {
    DemoDicom dicom = DemoDicom.load(dir);
    assertThat(dicom.modalities()).containsExactly("CT", "MR", "CR", "DX", "US", "MG");
    for (int m = 0; m < dicom.modalities().size(); m++) {
      for (int instance = 1; instance <= 2; instance++) {
        DicomHeader h = header(dicom.instance(m, 4_000_000_000_123L, instance, 42, "20261130"));
        assertThat(h.kind()).isEqualTo(DicomHeader.Kind.DICOM);
        assertThat(h.modality()).isEqualTo(dicom.modalities().get(m));
        assertThat(h.studyInstanceUid()).isEqualTo(DemoDicom.studyUid(4_000_000_000_123L));
        assertThat(h.studyDate()).isEqualTo("20261130");
        assertThat(h.patientIdHash()).isEqualTo("hash-of-SYN000000042");
        assertThat(h.seriesInstanceUid())
            .isEqualTo(DemoDicom.studyUid(4_000_000_000_123L) + ".1.0000" + instance);
      }
    }
  }

  @Test
  void aSecondLoadReusesTheTemplatesAndNoWorkFileIsKept() throws Exception {
    DemoDicom first = DemoDicom.load(dir);
    Path ct = dir.resolve("template-CT.dcm");
    var written = java.nio.file.Files.getLastModifiedTime(ct);
    DemoDicom again = DemoDicom.load(dir);
    assertThat(java.nio.file.Files.getLastModifiedTime(ct))
        .as("not written again")
        .isEqualTo(written);
    for (int i = 0; i < first.templates().size(); i++) {
      assertThat(again.templates().get(i)).isEqualTo(first.templates().get(i));
    }
    assertThat(dir.resolve("work")).as("dump2dcm's inputs and logs").doesNotExist();
  }
}
