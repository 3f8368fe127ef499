package io.strata.fleet.expiry;

import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.ListedObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A legal hold placed by the hospital's counsel or a court order: no object it names is destroyed
 * by expiry while it stands, whatever the policy says. It names objects as a recall does: a study
 * by its StudyInstanceUID, a patient's studies by the keyed hash of the PatientID (never the ID),
 * or a key prefix of one dataset; or a whole dataset. Immutable.
 *
 * @param id unique, chosen by the controller
 * @param dataset the dataset it applies to; null for every dataset (a study or a patient only)
 * @param study a StudyInstanceUID, or null
 * @param patient a patient's hashed id as the agents compute it (32 hex digits), or null
 * @param prefix a key prefix, or null
 * @param reason why: a case number, an order
 * @param placedAt when it was placed
 * @param placedBy who placed it
 */
public record LegalHold(
    String id,
    String dataset,
    String study,
    String patient,
    String prefix,
    String reason,
    Instant placedAt,
    String placedBy) {

  public LegalHold {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(placedAt, "placedAt");
    int named = (study == null ? 0 : 1) + (patient == null ? 0 : 1) + (prefix == null ? 0 : 1);
    if (named > 1) {
      throw new IllegalArgumentException(
          "a legal hold names at most one of study, patient, prefix");
    }
    if (named == 0 && dataset == null) {
      throw new IllegalArgumentException(
          "a legal hold names a dataset, a study, a patient or a prefix");
    }
    if (prefix != null && dataset == null) {
      throw new IllegalArgumentException("a legal hold by key prefix names its dataset");
    }
  }

  /** Whether it selects by what a DICOM header says, so that scans must read the headers. */
  public boolean needsHeaders() {
    return study != null || patient != null;
  }

  /** Whether it names {@code object} of dataset {@code name}. */
  public boolean names(String name, ListedObject object) {
    if (dataset != null && !dataset.equals(name)) {
      return false;
    }
    if (prefix != null) {
      return object.key().startsWith(prefix);
    }
    if (study == null && patient == null) {
      return true; // The whole dataset.
    }
    DicomHeader header = object.dicom();
    if (header == null || !header.isDicom()) {
      return false;
    }
    return study != null
        ? study.equals(header.studyInstanceUid())
        : patient.equalsIgnoreCase(header.patientIdHash());
  }
}
