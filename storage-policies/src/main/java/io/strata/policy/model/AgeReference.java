package io.strata.policy.model;

/**
 * Where an object's age counts from. By default its S3 LastModified time; archives that migrate old
 * studies get fresh timestamps, so a policy may name a metadata field such as the DICOM study date
 * instead, or the StudyDate of the object's DICOM header as the agents read it ({@link
 * #DICOM_STUDY_DATE}, kept under the reserved field {@code dicom.study-date}). When the field is
 * missing or unreadable the object's LastModified time is used, which can only make it look
 * younger, never old enough to move or expire early.
 *
 * @param metadataField the metadata field holding the date, lower case; {@code null} for
 *     LastModified
 */
public record AgeReference(String metadataField) {
  /** Age counted from LastModified. */
  public static final AgeReference LAST_MODIFIED = new AgeReference(null);

  /** Age counted from the StudyDate of the object's DICOM header ({@code age.from: dicom}). */
  public static final AgeReference DICOM_STUDY_DATE = new AgeReference(DicomFields.STUDY_DATE);

  public boolean usesMetadata() {
    return metadataField != null;
  }

  /** True when age counts from the DICOM header's StudyDate. */
  public boolean fromDicom() {
    return DicomFields.STUDY_DATE.equals(metadataField);
  }

  /** How an operator names the date: {@code DICOM StudyDate} or {@code metadata FIELD}. */
  public String label() {
    return fromDicom() ? "DICOM StudyDate" : "metadata " + metadataField;
  }

  @Override
  public String toString() {
    return fromDicom() ? "dicom" : usesMetadata() ? "metadata " + metadataField : "lastModified";
  }
}
