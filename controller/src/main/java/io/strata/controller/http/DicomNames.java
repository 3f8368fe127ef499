package io.strata.controller.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks of a body that names objects as recalls and legal holds do: a study by its
 * StudyInstanceUID, a patient by the keyed hash of the PatientID (never the ID), or a key prefix.
 * Each failure is a 422 naming the field.
 */
final class DicomNames {
  private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
  private static final Pattern PATIENT_HASH = Pattern.compile("[0-9a-fA-F]{32}");

  private DicomNames() {}

  /** The fields named, of {@code study}, {@code patient} and {@code prefix}, in that order. */
  static List<String> named(String study, String patient, String prefix) {
    List<String> named = new ArrayList<>();
    if (study != null) {
      named.add("study");
    }
    if (patient != null) {
      named.add("patient");
    }
    if (prefix != null) {
      named.add("prefix");
    }
    return named;
  }

  /** Checks the form of a study's UID and a patient's hash, where given. */
  static void check(String study, String patient) {
    if (study != null && (study.length() > 64 || !UID.matcher(study).matches())) {
      throw ErrorMessage.failure(
          422, "field 'study' must be a DICOM UID: digits and dots, at most 64 characters");
    }
    if (patient != null && !PATIENT_HASH.matcher(patient).matches()) {
      throw ErrorMessage.failure(
          422,
          "field 'patient' must be the patient's hashed id as the agents compute it (32 hex"
              + " digits), never the PatientID itself");
    }
  }
}
