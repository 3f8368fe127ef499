package io.strata.protocol.object;

/**
 * What the header of an imaging object says, as the agent that scanned its pool read it: the few
 * attributes Strata plans by, never the pixel data and never a patient identifier in clear.
 *
 * @param kind whether the object is DICOM, something else, or DICOM that could not be read
 * @param studyInstanceUid (0020,000D); null when absent or not DICOM
 * @param seriesInstanceUid (0020,000E); null when absent or not DICOM
 * @param studyDate (0008,0020) as written, normally {@code YYYYMMDD}; null when absent. Not checked
 *     here: a policy that counts age from it reads it, and falls back to LastModified when it is
 *     not a date
 * @param modality (0008,0060), e.g. {@code CT}; null when absent
 * @param patientIdHash a keyed hash (HMAC-SHA256, the fleet's key) of (0010,0020) PatientID, as
 *     lowercase hex; null when absent or when the agent has no key. The PatientID itself never
 *     leaves the agent's memory
 * @param problem for {@link Kind#NOT_DICOM} and {@link Kind#CORRUPT}, why (no patient data in it);
 *     null otherwise
 */
public record DicomHeader(
    Kind kind,
    String studyInstanceUid,
    String seriesInstanceUid,
    String studyDate,
    String modality,
    String patientIdHash,
    String problem) {

  /** How the object was classified. */
  public enum Kind {
    /** A DICOM Part 10 file whose header was read. */
    DICOM,
    /** No DICOM preamble and prefix: another kind of file. */
    NOT_DICOM,
    /** DICOM by its prefix, but its header is cut short or cannot be parsed. */
    CORRUPT
  }

  public DicomHeader {
    java.util.Objects.requireNonNull(kind, "kind");
  }

  /** An object that is not DICOM. */
  public static DicomHeader notDicom(String why) {
    return new DicomHeader(Kind.NOT_DICOM, null, null, null, null, null, why);
  }

  /** A DICOM object whose header could not be read. */
  public static DicomHeader corrupt(String why) {
    return new DicomHeader(Kind.CORRUPT, null, null, null, null, null, why);
  }

  public boolean isDicom() {
    return kind == Kind.DICOM;
  }
}
