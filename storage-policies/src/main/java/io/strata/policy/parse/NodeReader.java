package io.strata.policy.parse;

import io.strata.policy.model.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of a composed YAML tree, collecting an error with file, line and column
 * for everything that does not fit instead of stopping at the first. Not thread-safe: one reader
 * per file.
 */
final class NodeReader {
  private final String file;
  private final List<PolicyError> errors = new ArrayList<>();
  private final Map<String, SourcePosition> positions = new LinkedHashMap<>();

  NodeReader(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  List<PolicyError> errors() {
    return errors;
  }

  /** Where each field read so far was written. */
  Map<String, SourcePosition> positions() {
    return positions;
  }

  SourcePosition position(Node node) {
    Mark m = node == null ? null : node.getStartMark();
    return m == null
        ? new SourcePosition(file, 1, 1)
        : new SourcePosition(file, m.getLine() + 1, m.getColumn() + 1);
  }

  void error(Node node, String field, String message) {
    errors.add(PolicyError.at(position(node), field, message));
  }

  void remember(String field, Node node) {
    positions.put(field, position(node));
  }

  /** How a node looks to a person: {@code 'text'}, a list, a map, nothing. */
  static String describe(Node node) {
    if (node instanceof ScalarNode s) {
      return Tag.NULL.equals(s.getTag()) ? "nothing" : "'" + s.getValue() + "'";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return node instanceof MappingNode ? "a map" : "nothing";
  }

  /**
   * The entries of a map by key, in file order. Reports a node that is not a map, keys that are not
   * plain words, keys written twice, and keys not in {@code allowed} (with the closest allowed key
   * when one is near). Unknown and repeated keys are left out of the result.
   *
   * @param allowed the keys allowed, or {@code null} to allow any
   */
  Map<String, NodeTuple> entries(Node node, String field, List<String> allowed) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    if (!(node instanceof MappingNode map)) {
      error(node, field, "expected a map, found " + describe(node));
      return out;
    }
    for (NodeTuple t : map.getValue()) {
      Node keyNode = t.getKeyNode();
      if (!(keyNode instanceof ScalarNode k) || Tag.NULL.equals(keyNode.getTag())) {
        error(keyNode, field, "expected a key word, found " + describe(keyNode));
        continue;
      }
      String key = k.getValue();
      String path = field.isEmpty() ? key : field + "." + key;
      if (allowed != null && !allowed.contains(key)) {
        Optional<String> near = Suggestions.closest(key, allowed);
        error(
            keyNode,
            path,
            "unknown key '"
                + key
                + "'"
                + near.map(n -> "; did you mean '" + n + "'?").orElse(";")
                + " allowed: "
                + String.join(", ", allowed));
        continue;
      }
      NodeTuple first = out.get(key);
      if (first != null) {
        error(
            keyNode,
            path,
            "key '"
                + key
                + "' is written twice; the first is at line "
                + position(first.getKeyNode()).line());
        continue;
      }
      out.put(key, t);
    }
    return out;
  }

  /** Reports each of {@code required} missing from a map's entries, at the map's position. */
  void require(Map<String, NodeTuple> entries, Node map, String field, List<String> required) {
    if (!(map instanceof MappingNode)) {
      return;
    }
    for (String key : required) {
      if (!entries.containsKey(key)) {
        error(
            map,
            field.isEmpty() ? key : field + "." + key,
            "missing; " + (field.isEmpty() ? "a policy" : "'" + field + "'") + " needs " + key);
      }
    }
  }

  /** The text of a scalar; {@code null} (and an error naming {@code expected}) otherwise. */
  String text(Node node, String field, String expected) {
    if (node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
      return s.getValue();
    }
    error(node, field, "expected " + expected + ", found " + describe(node));
    return null;
  }

  /** The items of a list; empty (and an error) when the node is not a non-empty list. */
  List<Node> items(Node node, String field, String expected) {
    if (node instanceof SequenceNode s && !s.getValue().isEmpty()) {
      return s.getValue();
    }
    error(
        node,
        field,
        "expected a list of "
            + expected
            + ", found "
            + (node instanceof SequenceNode ? "an empty list" : describe(node)));
    return List.of();
  }

  /** A boolean written {@code true} or {@code false}; {@code null} (and an error) otherwise. */
  Boolean bool(Node node, String field) {
    String text = text(node, field, "true or false");
    if (text == null) {
      return null;
    }
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    error(node, field, "'" + text + "' is not a boolean; allowed: true or false");
    return null;
  }

  /** A whole number within bounds; {@code null} (and an error) otherwise. */
  Integer integer(Node node, String field, int min, int max) {
    String text = text(node, field, "a whole number from " + min + " to " + max);
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    error(
        node,
        field,
        "'" + text + "' is not allowed; write a whole number from " + min + " to " + max);
    return null;
  }
}
