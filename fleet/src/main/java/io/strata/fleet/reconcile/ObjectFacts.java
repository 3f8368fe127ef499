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

  /**
   * The object's metadata for policies as one instance of its study: the study's StudyDate and
   * Modality ({@code study}) in place of the instance's own, so that every instance of a study is
   * planned alike. An object without a read header, or of no study known, is as {@link #metadata}.
   */
  public static Map<String, String> metadata(ListedObject o, Map<String, Study> studies) {
    DicomHeader h = o.dicom();
    Study study =
        h == null || !h.isDicom() || h.studyInstanceUid() == null
            ? null
            : studies.get(h.studyInstanceUid());
    if (study == null) {
      return metadata(o);
    }
    return DicomFields.withHeader(o.metadata(), study.modality(), study.studyDate());
  }

  /**
   * What the instances of one study share for planning: the StudyDate and the Modality most of its
   * instances carry (a date of 8 digits only; ties to the earliest date and the first modality in
   * order), either null when none carries one.
   */
  public record Study(String studyDate, String modality) {}

  /** The study of each StudyInstanceUID among {@code objects}' read headers. */
  public static Map<String, Study> studies(Iterable<ListedObject> objects) {
    Map<String, Map<String, Integer>> dates = new java.util.HashMap<>();
    Map<String, Map<String, Integer>> modalities = new java.util.HashMap<>();
    for (ListedObject o : objects) {
      DicomHeader h = o.dicom();
      if (h == null || !h.isDicom() || h.studyInstanceUid() == null) {
        continue;
      }
      String uid = h.studyInstanceUid();
      dates.computeIfAbsent(uid, k -> new java.util.TreeMap<>());
      modalities.computeIfAbsent(uid, k -> new java.util.TreeMap<>());
      if (h.studyDate() != null && h.studyDate().matches("[0-9]{8}")) {
        dates.get(uid).merge(h.studyDate(), 1, Integer::sum);
      }
      if (h.modality() != null && !h.modality().isBlank()) {
        modalities.get(uid).merge(h.modality(), 1, Integer::sum);
      }
    }
    Map<String, Study> out = new java.util.HashMap<>();
    dates.forEach(
        (uid, d) -> out.put(uid, new Study(mostCommon(d), mostCommon(modalities.get(uid)))));
    return out;
  }

  /** The key counted most often, the first in order among ties; null for none. */
  private static String mostCommon(Map<String, Integer> counts) {
    String best = null;
    int most = 0;
    for (var e : counts.entrySet()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    return best;
  }
}
