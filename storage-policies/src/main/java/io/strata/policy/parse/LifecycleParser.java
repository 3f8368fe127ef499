package io.strata.policy.parse;

import io.strata.policy.model.AgeReference;
import io.strata.policy.model.Bandwidth;
import io.strata.policy.model.DicomFields;
import io.strata.policy.model.Movement;
import io.strata.policy.model.PolicyDuration;
import io.strata.policy.model.Retention;
import io.strata.policy.model.TimeWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Reads the sections of a policy that govern an object's life after placement: where its age counts
 * from, retention, expiry and movement. Each method returns {@code null} after reporting its errors
 * to the reader.
 */
final class LifecycleParser {
  private final NodeReader r;

  LifecycleParser(NodeReader r) {
    this.r = r;
  }

  AgeReference age(Node n) {
    Map<String, NodeTuple> e = r.entries(n, "age", PolicyParser.AGE_KEYS);
    r.require(e, n, "age", List.of("from"));
    String from =
        e.containsKey("from")
            ? r.text(e.get("from").getValueNode(), "age.from", "lastModified, metadata or dicom")
            : null;
    if (from == null) {
      return null;
    }
    Node fromNode = e.get("from").getValueNode();
    if (from.equals("lastModified")) {
      if (e.containsKey("field")) {
        r.error(
            e.get("field").getKeyNode(),
            "age.field",
            "only counts with age.from: metadata; remove it or write from: metadata");
        return null;
      }
      return AgeReference.LAST_MODIFIED;
    }
    if (from.equals("dicom")) {
      if (e.containsKey("field")) {
        r.error(
            e.get("field").getKeyNode(),
            "age.field",
            "only counts with age.from: metadata; age.from: dicom reads the StudyDate (0008,0020)"
                + " of each object's DICOM header; remove field");
        return null;
      }
      return AgeReference.DICOM_STUDY_DATE;
    }
    if (!from.equals("metadata")) {
      r.error(
          fromNode,
          "age.from",
          "'" + from + "' is not allowed; write lastModified, metadata or dicom");
      return null;
    }
    if (!e.containsKey("field")) {
      r.error(
          n,
          "age.field",
          "missing; age.from: metadata needs the field that holds the date, e.g. field: study-date");
      return null;
    }
    Node fieldNode = e.get("field").getValueNode();
    String field = r.text(fieldNode, "age.field", "a metadata field name such as study-date");
    if (field != null && !PolicyParser.FIELD.matcher(field).matches()) {
      r.error(
          fieldNode,
          "age.field",
          "'" + field + "' is not a metadata field name; " + PolicyParser.FIELD_ALLOWED);
      return null;
    }
    if (field != null && DicomFields.isReserved(field)) {
      r.error(
          fieldNode,
          "age.field",
          "'"
              + field
              + "': fields under dicom. come from the DICOM header, not from metadata; write"
              + " age.from: dicom (without field) to count from the StudyDate");
      return null;
    }
    return field == null ? null : new AgeReference(field.toLowerCase(Locale.ROOT));
  }

  Retention retention(Node n) {
    Map<String, NodeTuple> e = r.entries(n, "retention", PolicyParser.RETENTION_KEYS);
    r.require(e, n, "retention", List.of("minimum"));
    e.forEach((k, t) -> r.remember("retention." + k, t.getValueNode()));
    PolicyDuration minimum =
        e.containsKey("minimum")
            ? durationValue(e.get("minimum").getValueNode(), "retention.minimum")
            : null;
    Boolean hold =
        e.containsKey("legalHold")
            ? r.bool(e.get("legalHold").getValueNode(), "retention.legalHold")
            : Boolean.FALSE;
    Boolean once =
        e.containsKey("writeOnce")
            ? r.bool(e.get("writeOnce").getValueNode(), "retention.writeOnce")
            : Boolean.FALSE;
    String override = null;
    if (e.containsKey("override")) {
      Node o = e.get("override").getValueNode();
      override =
          r.text(o, "retention.override", "the reason for a retention below the legal minimum");
      if (override != null && override.isBlank()) {
        r.error(
            o,
            "retention.override",
            "is blank; write who decided and why, e.g. \"research copy, originals kept by hospital\"");
        override = null;
      }
      if (override == null) {
        return null;
      }
    }
    return minimum == null || hold == null || once == null
        ? null
        : new Retention(minimum, hold, once, override);
  }

  /** The expiry, {@code null} for never; reports errors but never marks the policy broken. */
  PolicyDuration expiry(Node n) {
    String text = r.text(n, "expiry", "never or a duration such as 31y");
    return text == null || text.trim().equals("never") ? null : duration(n, text, "expiry");
  }

  Movement movement(Node n) {
    Map<String, NodeTuple> e = r.entries(n, "movement", PolicyParser.MOVEMENT_KEYS);
    e.forEach((k, t) -> r.remember("movement." + k, t.getValueNode()));
    Integer priority =
        e.containsKey("priority")
            ? r.integer(e.get("priority").getValueNode(), "movement.priority", 0, 100)
            : Integer.valueOf(Movement.DEFAULT_PRIORITY);
    Bandwidth bandwidth = null;
    boolean ok = priority != null;
    if (e.containsKey("bandwidth")) {
      Node b = e.get("bandwidth").getValueNode();
      String text = r.text(b, "movement.bandwidth", Bandwidth.ALLOWED);
      try {
        bandwidth = text == null ? null : Bandwidth.parse(text);
      } catch (IllegalArgumentException ex) {
        r.error(b, "movement.bandwidth", ex.getMessage());
      }
      ok &= bandwidth != null;
    }
    List<TimeWindow> windows = new ArrayList<>();
    if (e.containsKey("windows")) {
      List<Node> items =
          r.items(
              e.get("windows").getValueNode(), "movement.windows", "windows such as 00:00-06:00");
      ok &= !items.isEmpty();
      for (int i = 0; i < items.size(); i++) {
        String field = "movement.windows[" + i + "]";
        String text = r.text(items.get(i), field, TimeWindow.ALLOWED);
        try {
          if (text != null) {
            windows.add(TimeWindow.parse(text));
          }
        } catch (IllegalArgumentException ex) {
          r.error(items.get(i), field, ex.getMessage());
        }
      }
      ok &= windows.size() == items.size();
    }
    return ok ? new Movement(priority, bandwidth, windows) : null;
  }

  PolicyDuration durationValue(Node n, String field) {
    String text = r.text(n, field, "a duration, " + PolicyDuration.ALLOWED);
    return text == null ? null : duration(n, text, field);
  }

  PolicyDuration duration(Node n, String text, String field) {
    try {
      return PolicyDuration.parse(text);
    } catch (IllegalArgumentException ex) {
      r.error(n, field, ex.getMessage());
      return null;
    }
  }
}
