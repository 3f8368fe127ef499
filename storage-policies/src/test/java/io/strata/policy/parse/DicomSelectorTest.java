package io.strata.policy.parse;

import static io.strata.policy.parse.Policies.errors;
import static io.strata.policy.parse.Policies.plus;
import static io.strata.policy.parse.Policies.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.policy.model.AgeReference;
import io.strata.policy.model.DicomFields;
import io.strata.policy.model.StoragePolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selecting on the DICOM header's Modality and counting age from its StudyDate. */
class DicomSelectorTest {

  @Test
  void aPolicySelectsOnModalityAndCountsAgeFromTheStudyDate() {
    StoragePolicy p = valid(plus("select: {dicom.modality: [CT, MR]}\nage: {from: dicom}\n"));

    assertThat(p.age()).isEqualTo(AgeReference.DICOM_STUDY_DATE);
    assertThat(p.age()).hasToString("dicom");
    assertThat(p.usesDicom()).isTrue();
    assertThat(p.selector().matches("k", Map.of(DicomFields.MODALITY, "CT"))).isTrue();
    assertThat(p.selector().matches("k", Map.of(DicomFields.MODALITY, "US"))).isFalse();
    assertThat(p.selector().matches("k", Map.of())).isFalse();
  }

  @Test
  void aPolicyWithoutDicomFieldsReadsNoHeaders() {
    assertThat(valid(plus("select: {modality: CT}\n")).usesDicom()).isFalse();
    assertThat(valid(plus("age: {from: dicom}\n")).usesDicom()).isTrue();
  }

  @Test
  void anUnknownModalityIsAnErrorWithTheClosestDefinedTerm() {
    assertThat(errors(plus("select: {dicom.modality: [CT, CTT]}\n")))
        .containsExactly(
            "t.yaml:9:31: select.dicom.modality: 'CTT' is not a DICOM modality; did you mean"
                + " 'CT'? (the defined terms of (0008,0060), e.g. CT, MR, CR, DX, US, MG, PT, NM,"
                + " XA)");
  }

  @Test
  void aModalityInLowerCaseIsAnErrorThatSaysHowHeadersWriteIt() {
    assertThat(errors(plus("select: {dicom.modality: mr}\n")))
        .containsExactly(
            "t.yaml:9:26: select.dicom.modality: 'mr' is not a DICOM modality as headers write"
                + " it; write 'MR'");
  }

  @Test
  void aDicomAttributeAPolicyCannotSelectOnIsNamedWithWhatIsAllowed() {
    assertThat(errors(plus("select: {dicom.patient-id: X}\n")))
        .containsExactly(
            "t.yaml:9:10: select.dicom.patient-id: 'dicom.patient-id' is not a DICOM attribute a"
                + " policy selects on; allowed: dicom.modality (for age from the StudyDate write"
                + " age.from: dicom)");
  }

  @Test
  void ageFromDicomTakesNoFieldAndAMetadataFieldCannotPoseAsTheHeader() {
    assertThat(errors(plus("age: {from: dicom, field: study-date}\n")))
        .containsExactly(
            "t.yaml:9:20: age.field: only counts with age.from: metadata; age.from: dicom reads"
                + " the StudyDate (0008,0020) of each object's DICOM header; remove field");
    assertThat(errors(plus("age: {from: metadata, field: dicom.study-date}\n")))
        .containsExactly(
            "t.yaml:9:30: age.field: 'dicom.study-date': fields under dicom. come from the DICOM"
                + " header, not from metadata; write age.from: dicom (without field) to count from"
                + " the StudyDate");
    assertThat(errors(plus("age: {from: header}\n")))
        .containsExactly(
            "t.yaml:9:13: age.from: 'header' is not allowed; write lastModified, metadata or"
                + " dicom");
  }

  @Test
  void userMetadataUnderTheReservedPrefixNeverReachesAPolicy() {
    Map<String, String> seen =
        DicomFields.withHeader(
            Map.of("Dicom.Modality", "CT", "study-date", "20200101"), "MR", "20190304");

    assertThat(seen)
        .containsOnly(
            Map.entry("study-date", "20200101"),
            Map.entry(DicomFields.MODALITY, "MR"),
            Map.entry(DicomFields.STUDY_DATE, "20190304"));
    assertThat(DicomFields.withHeader(Map.of("dicom.modality", "CT"), null, null)).isEmpty();
  }
}
