package io.strata.policy.parse;

import io.strata.topology.DomainLevel;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Reads one phase's placement, compiled to the {@link PlacementRule} that placement takes. Two
 * forms mean the same:
 *
 * <pre>
 * 90d: warm-hdd + cold-archive spread site          # compact; "2 × tier", "2 x tier", "2 * tier"
 * 90d: {copies: {warm-hdd: 1, cold-archive: 1}, spread: site}    # expanded
 * </pre>
 *
 * A tier without a count means one copy.
 */
final class PhaseParser {
  /** The most copies of one tier a phase may ask for. */
  static final int MAX_COPIES = 16;

  static final String COMPACT =
      "COUNT × TIER [+ COUNT × TIER ...] spread LEVEL, e.g. 2 × hot-nvme spread room";

  private static final List<String> EXPANDED_KEYS = List.of("copies", "spread");
  private static final Pattern SPREAD = Pattern.compile("(.*?)\\s+spread\\s+(\\S+)\\s*");
  private static final Pattern TERM =
      Pattern.compile("\\s*(?:(\\d{1,6})\\s*(?:×|\\*|[xX](?=\\s)))?\\s*([a-z0-9][a-z0-9._-]*)\\s*");
  private static final Pattern TIER = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private final NodeReader reader;

  PhaseParser(NodeReader reader) {
    this.reader = reader;
  }

  /** The rule of a phase written in either form; empty (with errors reported) when invalid. */
  Optional<PlacementRule> parse(Node node, String field) {
    if (node instanceof MappingNode) {
      return expanded(node, field);
    }
    String text = reader.text(node, field, "a placement (" + COMPACT + ") or a map");
    return text == null ? Optional.empty() : compact(text, node, field);
  }

  private Optional<PlacementRule> compact(String text, Node node, String field) {
    Matcher m = SPREAD.matcher(text.trim());
    if (!m.matches()) {
      reader.error(node, field, "'" + text + "' names no spread; write " + COMPACT);
      return Optional.empty();
    }
    Optional<DomainLevel> spread = level(m.group(2), node, field);
    List<TierCopies> copies = new ArrayList<>();
    boolean ok = spread.isPresent();
    for (String term : m.group(1).split("\\+", -1)) {
      Matcher t = TERM.matcher(term);
      if (!t.matches()) {
        reader.error(
            node,
            field,
            "'" + term.trim() + "' in '" + text + "' is not COUNT × TIER; write " + COMPACT);
        ok = false;
        continue;
      }
      int count = t.group(1) == null ? 1 : Integer.parseInt(t.group(1));
      ok &= add(copies, t.group(2), count, node, field);
    }
    return ok ? Optional.of(new PlacementRule(spread.get(), copies)) : Optional.empty();
  }

  private Optional<PlacementRule> expanded(Node node, String field) {
    Map<String, NodeTuple> entries = reader.entries(node, field, EXPANDED_KEYS);
    reader.require(entries, node, field, EXPANDED_KEYS);
    boolean ok = entries.size() == EXPANDED_KEYS.size();
    Optional<DomainLevel> spread = Optional.empty();
    if (entries.containsKey("spread")) {
      Node s = entries.get("spread").getValueNode();
      String text = reader.text(s, field + ".spread", "a level");
      spread = text == null ? Optional.empty() : level(text, s, field + ".spread");
      ok &= spread.isPresent();
    }
    List<TierCopies> copies = new ArrayList<>();
    if (entries.containsKey("copies")) {
      String copiesField = field + ".copies";
      Node c = entries.get("copies").getValueNode();
      Map<String, NodeTuple> tiers = reader.entries(c, copiesField, null);
      if (tiers.isEmpty()) {
        if (c instanceof MappingNode) {
          reader.error(
              c, copiesField, "names no tier; write a map of tier to count, e.g. {hot-nvme: 2}");
        }
        ok = false;
      }
      for (var e : tiers.entrySet()) {
        Node count = e.getValue().getValueNode();
        Integer n = reader.integer(count, copiesField + "." + e.getKey(), 1, MAX_COPIES);
        ok &= n != null && add(copies, e.getKey(), n, e.getValue().getKeyNode(), copiesField);
      }
    }
    return ok ? Optional.of(new PlacementRule(spread.get(), copies)) : Optional.empty();
  }

  private boolean add(List<TierCopies> copies, String tier, int count, Node node, String field) {
    if (!TIER.matcher(tier).matches()) {
      reader.error(
          node,
          field,
          "'"
              + tier
              + "' is not a tier name; tier names are lowercase letters, digits, '.', '_', '-'");
      return false;
    }
    if (count < 1 || count > MAX_COPIES) {
      reader.error(
          node, field, count + " copies of " + tier + " is not allowed; write 1 to " + MAX_COPIES);
      return false;
    }
    if (copies.stream().anyMatch(c -> c.tier().equals(tier))) {
      reader.error(
          node, field, "tier " + tier + " is named twice; write the total once, e.g. 2 × " + tier);
      return false;
    }
    copies.add(new TierCopies(tier, count));
    return true;
  }

  private Optional<DomainLevel> level(String text, Node node, String field) {
    Optional<DomainLevel> level = DomainLevel.parse(text);
    if (level.isEmpty()) {
      List<String> allowed = Arrays.stream(DomainLevel.values()).map(DomainLevel::label).toList();
      reader.error(
          node,
          field,
          "spread '"
              + text
              + "' is not a level"
              + Suggestions.closest(text, allowed)
                  .map(s -> "; did you mean '" + s + "'?")
                  .orElse(";")
              + " allowed: "
              + String.join(", ", allowed));
    }
    return level;
  }
}
