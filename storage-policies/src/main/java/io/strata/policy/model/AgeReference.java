package io.strata.policy.model;

/**
 * Where an object's age counts from. By default its S3 LastModified time; archives that migrate old
 * studies get fresh timestamps, so a policy may name a metadata field such as the DICOM study date
 * instead. When the field is missing or unreadable the object's LastModified time is used, which
 * can only make it look younger, never old enough to move or expire early.
 *
 * @param metadataField the metadata field holding the date, lower case; {@code null} for
 *     LastModified
 */
public record AgeReference(String metadataField) {
  /** Age counted from LastModified. */
  public static final AgeReference LAST_MODIFIED = new AgeReference(null);

  public boolean usesMetadata() {
    return metadataField != null;
  }

  @Override
  public String toString() {
    return usesMetadata() ? "metadata " + metadataField : "lastModified";
  }
}
