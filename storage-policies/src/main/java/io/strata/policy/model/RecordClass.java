package io.strata.policy.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of record a dataset holds, and so the shortest retention the law allows for it. A
 * policy whose retention is shorter than its class's minimum is rejected unless it gives a reason
 * for the override.
 */
public enum RecordClass {
  /**
   * Inpatient medical records, including the imaging made during a stay: at least 30 years from the
   * patient's last discharge.
   */
  INPATIENT(
      "inpatient",
      new PolicyDuration(30, PolicyDuration.Unit.YEARS),
      "《医疗机构病历管理规定》(2013) art. 29: inpatient records are kept at least 30 years from"
          + " the last discharge"),
  /** Outpatient and emergency records: at least 15 years from the patient's last visit. */
  OUTPATIENT(
      "outpatient",
      new PolicyDuration(15, PolicyDuration.Unit.YEARS),
      "《医疗机构病历管理规定》(2013) art. 29: outpatient and emergency records are kept at least"
          + " 15 years from the last visit"),
  /** Network and system logs of the operator: at least six months. */
  NETWORK_LOG(
      "network-log",
      new PolicyDuration(6, PolicyDuration.Unit.MONTHS),
      "《中华人民共和国网络安全法》(2016) art. 21: network logs are kept at least six months"),
  /** Data with no statutory minimum encoded here; the policy's own retention governs. */
  NONE("none", PolicyDuration.ZERO, "no statutory minimum");

  private final String label;
  private final PolicyDuration legalMinimum;
  private final String basis;

  RecordClass(String label, PolicyDuration legalMinimum, String basis) {
    this.label = label;
    this.legalMinimum = legalMinimum;
    this.basis = basis;
  }

  /** The file spelling: {@code inpatient}. */
  public String label() {
    return label;
  }

  /** The shortest retention the law allows; zero for {@link #NONE}. */
  public PolicyDuration legalMinimum() {
    return legalMinimum;
  }

  /** Where the minimum comes from, for messages and {@code explain}. */
  public String basis() {
    return basis;
  }

  /** Every file spelling, for error messages. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(RecordClass::label).toList();
  }

  /** The class with this file spelling (case-insensitive); empty when there is none. */
  public static Optional<RecordClass> parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(c -> c.label.equals(wanted)).findFirst();
  }
}
