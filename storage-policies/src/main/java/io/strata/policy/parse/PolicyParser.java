package io.strata.policy.parse;

import io.strata.policy.model.AgeReference;
import io.strata.policy.model.DatasetPattern;
import io.strata.policy.model.DicomFields;
import io.strata.policy.model.Encryption;
import io.strata.policy.model.Movement;
import io.strata.policy.model.ObjectSelector;
import io.strata.policy.model.Phase;
import io.strata.policy.model.PolicyDuration;
import io.strata.policy.model.RecordClass;
import io.strata.policy.model.Retention;
import io.strata.policy.model.StoragePolicy;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one policy file into a {@link StoragePolicy}, or into every error found in it. Pure: text
 * in, result out; never throws on bad input. The format is described in {@code
 * storage-policies/README.md} and checked by {@code storage-policy.schema.json}.
 *
 * <p>This checks everything a file can get wrong by itself. What depends on other things (the
 * cluster map, the law, other policies) is checked by {@code PolicyValidator} and {@code
 * PolicyLoader}.
 */
public final class PolicyParser {
  static final List<String> TOP_KEYS =
      List.of(
          "policy",
          "description",
          "datasets",
          "prefixes",
          "select",
          "recordClass",
          "timeZone",
          "age",
          "phases",
          "retention",
          "expiry",
          "movement",
          "encryption");
  static final List<String> REQUIRED =
      List.of("policy", "datasets", "recordClass", "phases", "retention");
  static final List<String> AGE_KEYS = List.of("from", "field");
  static final List<String> RETENTION_KEYS =
      List.of("minimum", "legalHold", "writeOnce", "override");
  static final List<String> MOVEMENT_KEYS = List.of("priority", "bandwidth", "windows");
  static final List<String> ENCRYPTION_KEYS = List.of("type", "keyId");
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9:/_.-]{1,256}");

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  static final String FIELD_ALLOWED = "use up to 128 letters, digits, '-', '_' and '.'";
  private static final int MAX_CODE_POINTS = 1 << 20;

  private PolicyParser() {}

  /** Parses one file: one policy, or every error in it. */
  public static PolicyLoadResult parse(PolicySource source) {
    NodeReader r = new NodeReader(source.file());
    Node root = compose(source, r);
    if (root == null) {
      return PolicyLoadResult.failed(r.errors());
    }
    StoragePolicy policy = new PolicyParser.Run(r).policy(root);
    if (policy == null && r.errors().isEmpty()) {
      r.error(root, "", "the policy could not be read");
    }
    return policy != null
        ? PolicyLoadResult.of(List.of(policy))
        : PolicyLoadResult.failed(r.errors());
  }

  private static Node compose(PolicySource source, NodeReader r) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(32);
    options.setCodePointLimit(MAX_CODE_POINTS);
    Node root = null;
    try {
      for (Node doc : new Yaml(options).composeAll(new StringReader(source.text()))) {
        if (root != null) {
          r.error(doc, "", "a file holds one policy; a second YAML document starts here");
          return null;
        }
        root = doc;
      }
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      int line = m == null ? 1 : m.getLine() + 1;
      int column = m == null ? 1 : m.getColumn() + 1;
      r.errors()
          .add(
              new PolicyError(source.file(), line, column, "", "not valid YAML: " + oneLine(what)));
      return null;
    } catch (YAMLException e) {
      r.errors()
          .add(
              new PolicyError(
                  source.file(), 1, 1, "", "not valid YAML: " + oneLine(e.getMessage())));
      return null;
    } catch (RuntimeException e) {
      // A fault of the YAML library itself (SnakeYAML 2.3 failed on a surrogate pair across its
      // buffer's end): the file is reported, the process goes on.
      r.errors()
          .add(
              new PolicyError(
                  source.file(),
                  1,
                  1,
                  "",
                  "the YAML reader failed on this file ("
                      + e.getClass().getSimpleName()
                      + ": "
                      + oneLine(String.valueOf(e.getMessage()))
                      + ")"));
      return null;
    }
    if (root == null) {
      r.errors()
          .add(
              new PolicyError(
                  source.file(),
                  1,
                  1,
                  "",
                  "the file holds no policy; a policy needs " + String.join(", ", REQUIRED)));
    }
    return root;
  }

  private static String oneLine(String text) {
    return text == null ? "unreadable input" : text.replaceAll("\\s+", " ").trim();
  }

  /** The reading of one file; holds the fields as they are read. */
  private static final class Run {
    private final NodeReader r;
    private final PhaseParser phases;
    private final LifecycleParser lifecycle;
    private boolean broken;

    Run(NodeReader r) {
      this.r = r;
      this.phases = new PhaseParser(r);
      this.lifecycle = new LifecycleParser(r);
    }

    StoragePolicy policy(Node root) {
      Map<String, NodeTuple> e = r.entries(root, "", TOP_KEYS);
      if (!(root instanceof MappingNode)) {
        return null;
      }
      r.remember("", root);
      r.require(e, root, "", REQUIRED);
      e.forEach((k, t) -> r.remember(k, t.getKeyNode()));
      String name = value(e, "policy", this::name);
      String description = value(e, "description", n -> r.text(n, "description", "text"));
      List<DatasetPattern> datasets = value(e, "datasets", this::datasets);
      List<String> prefixes =
          e.containsKey("prefixes") ? value(e, "prefixes", this::prefixes) : List.of();
      Map<String, Set<String>> select =
          e.containsKey("select") ? value(e, "select", this::select) : Map.of();
      RecordClass recordClass = value(e, "recordClass", this::recordClass);
      ZoneId zone =
          e.containsKey("timeZone") ? value(e, "timeZone", this::zone) : StoragePolicy.DEFAULT_ZONE;
      AgeReference age =
          e.containsKey("age") ? value(e, "age", lifecycle::age) : AgeReference.LAST_MODIFIED;
      List<Phase> phaseList = value(e, "phases", this::phases);
      Retention retention = value(e, "retention", lifecycle::retention);
      PolicyDuration expiry =
          e.containsKey("expiry") ? lifecycle.expiry(e.get("expiry").getValueNode()) : null;
      Movement movement =
          e.containsKey("movement") ? value(e, "movement", lifecycle::movement) : Movement.DEFAULT;
      Encryption encryption =
          e.containsKey("encryption") ? value(e, "encryption", this::encryption) : null;
      if (expiry != null && retention != null && expiry.isShorterThan(retention.minimum())) {
        r.error(
            e.get("expiry").getValueNode(),
            "expiry",
            expiry
                + " comes before the retention minimum "
                + retention.minimum()
                + "; write never or at least "
                + retention.minimum());
      }
      if (broken || !r.errors().isEmpty()) {
        return null;
      }
      return new StoragePolicy(
          name,
          description,
          datasets,
          new ObjectSelector(prefixes, select),
          recordClass,
          zone,
          age,
          phaseList,
          retention,
          expiry,
          movement,
          encryption,
          r.positions());
    }

    private <T> T value(Map<String, NodeTuple> e, String key, Function<Node, T> read) {
      NodeTuple t = e.get(key);
      T value = t == null ? null : read.apply(t.getValueNode());
      broken |= t != null && value == null;
      return value;
    }

    /**
     * {@code {type: sse-s3}} or {@code {type: sse-kms, keyId: ID}}: a key id or alias, never key
     * material, which a policy file must not hold.
     */
    private Encryption encryption(Node n) {
      int errorsBefore = r.errors().size();
      Map<String, NodeTuple> e = r.entries(n, "encryption", ENCRYPTION_KEYS);
      r.require(e, n, "encryption", List.of("type"));
      Encryption.Type type = null;
      if (e.containsKey("type")) {
        Node t = e.get("type").getValueNode();
        String text = r.text(t, "encryption.type", "sse-s3 or sse-kms");
        if (text != null) {
          type = Encryption.Type.parse(text).orElse(null);
          if (type == null) {
            r.error(
                t,
                "encryption.type",
                "'" + text + "' is not an encryption type; allowed: sse-s3, sse-kms");
          }
        }
      }
      String keyId = null;
      if (e.containsKey("keyId")) {
        Node k = e.get("keyId").getValueNode();
        keyId = r.text(k, "encryption.keyId", "the id or alias of a key in the pools' KMS");
        if (keyId != null && !KEY_ID.matcher(keyId).matches()) {
          r.error(
              k,
              "encryption.keyId",
              "not a key id; write the id, alias or ARN of a key in the pools' KMS (up to 256"
                  + " letters, digits and ':/_.-'), never the key itself");
          keyId = null;
        } else if (keyId != null && type == Encryption.Type.SSE_S3) {
          r.error(
              k,
              "encryption.keyId",
              "sse-s3 uses keys the server manages and takes no keyId; write type: sse-kms to"
                  + " name a key");
          keyId = null;
        }
      }
      if (type == Encryption.Type.SSE_KMS && !e.containsKey("keyId")) {
        r.error(
            n,
            "encryption.keyId",
            "missing; sse-kms needs keyId: the id, alias or ARN of the key in the pools' KMS");
      }
      if (type == null || r.errors().size() != errorsBefore) {
        return null;
      }
      return new Encryption(type, keyId);
    }

    private String name(Node n) {
      String text = r.text(n, "policy", "a policy name");
      if (text != null && !NAME.matcher(text).matches()) {
        r.error(
            n,
            "policy",
            "'"
                + text
                + "' is not a policy name; use 1 to 63 lowercase letters, digits and '-', not"
                + " starting or ending with '-'");
        return null;
      }
      return text;
    }

    private List<DatasetPattern> datasets(Node n) {
      List<DatasetPattern> out = new ArrayList<>();
      List<Node> items = r.items(n, "datasets", "dataset names or globs such as *-imaging");
      for (int i = 0; i < items.size(); i++) {
        String field = "datasets[" + i + "]";
        String text = r.text(items.get(i), field, DatasetPattern.ALLOWED);
        try {
          if (text != null) {
            out.add(new DatasetPattern(text));
          }
        } catch (IllegalArgumentException ex) {
          r.error(items.get(i), field, ex.getMessage());
        }
      }
      return out.size() == items.size() && !items.isEmpty() ? out : null;
    }

    private List<String> prefixes(Node n) {
      List<String> out = new ArrayList<>();
      List<Node> items = r.items(n, "prefixes", "object key prefixes");
      for (int i = 0; i < items.size(); i++) {
        String text = r.text(items.get(i), "prefixes[" + i + "]", "a key prefix such as studies/");
        if (text != null && text.isEmpty()) {
          r.error(
              items.get(i),
              "prefixes[" + i + "]",
              "an empty prefix selects everything; leave out prefixes instead");
        } else if (text != null) {
          out.add(text);
        }
      }
      return out.size() == items.size() && !items.isEmpty() ? out : null;
    }

    private Map<String, Set<String>> select(Node n) {
      int errorsBefore = r.errors().size();
      Map<String, Set<String>> out = new LinkedHashMap<>();
      Map<String, NodeTuple> fields = r.entries(n, "select", null);
      if (fields.isEmpty() && n instanceof MappingNode) {
        r.error(n, "select", "names no metadata field; leave out select to take every object");
      }
      for (var f : fields.entrySet()) {
        String field = "select." + f.getKey();
        Node key = f.getValue().getKeyNode();
        Node value = f.getValue().getValueNode();
        String lower = f.getKey().toLowerCase(Locale.ROOT);
        if (!FIELD.matcher(f.getKey()).matches()) {
          r.error(
              key, field, "'" + f.getKey() + "' is not a metadata field name; " + FIELD_ALLOWED);
        } else if (out.containsKey(lower)) {
          r.error(key, field, "'" + f.getKey() + "' is written twice (field names ignore case)");
        }
        boolean dicom = DicomFields.isReserved(lower);
        if (dicom && !DicomFields.SELECTABLE.contains(lower)) {
          r.error(
              key,
              field,
              "'"
                  + f.getKey()
                  + "' is not a DICOM attribute a policy selects on; allowed: "
                  + String.join(", ", DicomFields.SELECTABLE)
                  + " (for age from the StudyDate write age.from: dicom)");
          continue;
        }
        List<Node> items =
            value instanceof SequenceNode ? r.items(value, field, "values") : List.of(value);
        Set<String> values = new LinkedHashSet<>();
        for (Node item : items) {
          String text = r.text(item, field, "a value or a list of values, e.g. [CT, MR]");
          if (text != null && dicom && !DicomFields.MODALITIES.contains(text)) {
            r.error(item, field, notModality(text));
          } else if (text != null) {
            values.add(text);
          }
        }
        out.putIfAbsent(lower, values);
      }
      return r.errors().size() == errorsBefore && !out.isEmpty() ? out : null;
    }

    private static String notModality(String text) {
      String upper = text.trim().toUpperCase(Locale.ROOT);
      if (DicomFields.MODALITIES.contains(upper)) {
        return "'" + text + "' is not a DICOM modality as headers write it; write '" + upper + "'";
      }
      return "'"
          + text
          + "' is not a DICOM modality"
          + Suggestions.closest(upper, DicomFields.MODALITIES)
              .map(s -> "; did you mean '" + s + "'?")
              .orElse("")
          + " (the defined terms of (0008,0060), e.g. CT, MR, CR, DX, US, MG, PT, NM, XA)";
    }

    private RecordClass recordClass(Node n) {
      String text = r.text(n, "recordClass", "a record class");
      if (text == null) {
        return null;
      }
      return RecordClass.parse(text)
          .orElseGet(
              () -> {
                r.error(
                    n,
                    "recordClass",
                    "'"
                        + text
                        + "' is not a record class"
                        + Suggestions.closest(text, RecordClass.labels())
                            .map(s -> "; did you mean '" + s + "'?")
                            .orElse(";")
                        + " allowed: "
                        + String.join(", ", RecordClass.labels()));
                return null;
              });
    }

    private ZoneId zone(Node n) {
      String text = r.text(n, "timeZone", "a time zone such as Asia/Shanghai");
      if (text == null) {
        return null;
      }
      try {
        return ZoneId.of(text.trim());
      } catch (DateTimeException ex) {
        r.error(
            n,
            "timeZone",
            "'" + text + "' is not a time zone; write a region such as Asia/Shanghai or UTC");
        return null;
      }
    }

    private List<Phase> phases(Node n) {
      Map<String, NodeTuple> e = r.entries(n, "phases", null);
      List<Phase> out = new ArrayList<>();
      boolean ok = !e.isEmpty();
      if (e.isEmpty() && n instanceof MappingNode) {
        r.error(n, "phases", "names no phase; write at least 0d: COUNT × TIER spread LEVEL");
      }
      PolicyDuration previous = null;
      for (var entry : e.entrySet()) {
        String field = "phases." + entry.getKey();
        Node key = entry.getValue().getKeyNode();
        r.remember(field, key);
        PolicyDuration after = lifecycle.duration(key, entry.getKey(), field);
        var rule = phases.parse(entry.getValue().getValueNode(), field);
        if (after == null || rule.isEmpty()) {
          ok = false;
          continue;
        }
        boolean first = entry.getKey().equals(e.keySet().iterator().next());
        if (first && !after.equals(PolicyDuration.ZERO)) {
          r.error(
              key,
              field,
              "the first phase is at "
                  + after
                  + "; phases start at 0d so that every object has one");
          ok = false;
        } else if (previous != null && !previous.isShorterThan(after)) {
          r.error(
              key,
              field,
              "phase "
                  + after
                  + " comes after phase "
                  + previous
                  + "; list phases by increasing age");
          ok = false;
        }
        previous = after;
        out.add(new Phase(after, rule.get()));
      }
      return ok ? out : null;
    }
  }
}
