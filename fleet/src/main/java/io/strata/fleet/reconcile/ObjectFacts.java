package io.strata.fleet.reconcile;

import io.strata.policy.model.DicomFields;
import io.strata.protocol.object.DicomHeader;
import io.strata.protocol.task.ListedObject;
import java.util.Map;

/** What a policy sees of a listed object: its user metadata, and its DICOM header where read. */
public final class ObjectFacts {
  private ObjectFacts() {}

  /**
   * The object's metadata for policies: user metadata without the reserved {@code dicom.} fields,
   * with the header's Modality and StudyDate under them (see {@link DicomFields}). Neither the UIDs
   * nor the patient hash reach a policy.
   */
  public static Map<String, String> metadata(ListedObject o) {
    DicomHeader h = o.dicom();
    boolean read = h != null && h.isDicom();
    return DicomFields.withHeader(
        o.metadata(), read ? h.modality() : null, read ? h.studyDate() : null);
  }
}
