package io.strata.policy.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DICOM attributes a policy can select on or count age from, read from each object's header by
 * the agents (not set by a gateway). They reach a policy as fields of the object's metadata under
 * the reserved prefix {@code dicom.}: {@code select: {dicom.modality: [CT, MR]}} and {@code age:
 * {from: dicom}}. User metadata under that prefix is dropped before a policy sees an object, so a
 * writer cannot pose as the header.
 */
public final class DicomFields {
  /** The prefix of the fields that come from the header. */
  public static final String PREFIX = "dicom.";

  /** (0008,0060) Modality, e.g. {@code CT}. */
  public static final String MODALITY = "dicom.modality";

  /** (0008,0020) StudyDate, {@code YYYYMMDD}; what {@code age.from: dicom} counts from. */
  public static final String STUDY_DATE = "dicom.study-date";

  /** The fields a policy may name in {@code select}. */
  public static final List<String> SELECTABLE = List.of(MODALITY);

  /**
   * The modalities DICOM defines (PS3.3 C.7.3.1.1.1), the retired ones included, since archives
   * migrated from old PACS still hold them.
   */
  public static final Set<String> MODALITIES =
      Set.copyOf(
          new TreeSet<>(
              List.of(
                  "AR",
                  "ASMT",
                  "AU",
                  "BDUS",
                  "BI",
                  "BMD",
                  "CFM",
                  "CR",
                  "CT",
                  "CTPROTOCOL",
                  "DG",
                  "DMS",
                  "DOC",
                  "DX",
                  "ECG",
                  "EEG",
                  "EMG",
                  "EOG",
                  "EPS",
                  "ES",
                  "FID",
                  "GM",
                  "HC",
                  "HD",
                  "IO",
                  "IOL",
                  "IVOCT",
                  "IVUS",
                  "KER",
                  "KO",
                  "LEN",
                  "LS",
                  "M3D",
                  "MG",
                  "MR",
                  "NM",
                  "OAM",
                  "OCT",
                  "OP",
                  "OPM",
                  "OPT",
                  "OPTBSV",
                  "OPTENF",
                  "OPV",
                  "OSS",
                  "OT",
                  "PA",
                  "PLAN",
                  "POS",
                  "PR",
                  "PT",
                  "PX",
                  "REG",
                  "RESP",
                  "RF",
                  "RG",
                  "RTDOSE",
                  "RTIMAGE",
                  "RTINTENT",
                  "RTPLAN",
                  "RTRAD",
                  "RTRECORD",
                  "RTSEGANN",
                  "RTSTRUCT",
                  "RWV",
                  "SEG",
                  "SM",
                  "SMR",
                  "SR",
                  "SRF",
                  "STAIN",
                  "TEXTUREMAP",
                  "TG",
                  "US",
                  "VA",
                  "XA",
                  "XAPROTOCOL",
                  "XC",
                  // retired
                  "AS",
                  "CD",
                  "CF",
                  "CP",
                  "CS",
                  "DD",
                  "DF",
                  "DM",
                  "DS",
                  "EC",
                  "FA",
                  "FS",
                  "LP",
                  "MA",
                  "MS",
                  "OPR",
                  "ST",
                  "VF")));

  private DicomFields() {}

  /** True for a field name (any case) under the reserved prefix. */
  public static boolean isReserved(String field) {
    return field.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  /**
   * The metadata a policy sees of an object: its user metadata without fields under {@code dicom.},
   * and the header's modality and study date where it was read.
   *
   * @param modality the header's Modality, null when absent or not read
   * @param studyDate the header's StudyDate as written, null when absent or not read
   */
  public static Map<String, String> withHeader(
      Map<String, String> userMetadata, String modality, String studyDate) {
    boolean reserved = userMetadata.keySet().stream().anyMatch(DicomFields::isReserved);
    if (!reserved && modality == null && studyDate == null) {
      return userMetadata;
    }
    Map<String, String> out = new LinkedHashMap<>();
    userMetadata.forEach(
        (k, v) -> {
          if (!isReserved(k)) {
            out.put(k, v);
          }
        });
    if (modality != null) {
      out.put(MODALITY, modality);
    }
    if (studyDate != null) {
      out.put(STUDY_DATE, studyDate);
    }
    return out;
  }
}
