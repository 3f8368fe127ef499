package io.strata.fleet.recall;

import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.ListedObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A request to bring data back to the hot tier before it is used (a follow-up visit, an AI
 * screening run): one copy of every object it names is kept on the hot tier of the object's policy
 * (the tier of its first phase) until {@link #holdUntil}, after which the object returns to the
 * placement of its phase and that copy goes. Names its objects in exactly one way: a study by its
 * StudyInstanceUID, a patient's studies by the keyed hash of the PatientID (never the ID), or a key
 * prefix. Immutable.
 *
 * @param id unique, chosen by the controller
 * @param dataset the dataset it applies to; null for every dataset (a study or a patient only)
 * @param study a StudyInstanceUID, or null
 * @param patient a patient's hashed id as the agents compute it (32 hex digits), or null
 * @param prefix a key prefix, or null; only with a dataset
 * @param deadline when the data is needed
 * @param holdUntil when the recalled copies may go again; not before {@code deadline}
 * @param createdAt when it was asked for
 * @param requestedBy who asked
 */
public record Recall(
    String id,
    String dataset,
    String study,
    String patient,
    String prefix,
    Instant deadline,
    Instant holdUntil,
    Instant createdAt,
    String requestedBy) {

  public Recall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(holdUntil, "holdUntil");
    Objects.requireNonNull(createdAt, "createdAt");
    int named = (study == null ? 0 : 1) + (patient == null ? 0 : 1) + (prefix == null ? 0 : 1);
    if (named != 1) {
      throw new IllegalArgumentException("a recall names exactly one of study, patient, prefix");
    }
    if (prefix != null && dataset == null) {
      throw new IllegalArgumentException("a recall by key prefix names its dataset");
    }
  }

  /** Whether its copies are still held on the hot tier at {@code now}. */
  public boolean holdsAt(Instant now) {
    return now.isBefore(holdUntil);
  }

  /** Whether it selects by what a DICOM header says, so that scans must read the headers. */
  public boolean needsHeaders() {
    return prefix == null;
  }

  /** Whether it applies to objects of {@code name}. */
  public boolean covers(String name) {
    return dataset == null || dataset.equals(name);
  }

  /** Whether it names {@code object} of dataset {@code name}. */
  public boolean names(String name, ListedObject object) {
    if (!covers(name)) {
      return false;
    }
    if (prefix != null) {
      return object.key().startsWith(prefix);
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
