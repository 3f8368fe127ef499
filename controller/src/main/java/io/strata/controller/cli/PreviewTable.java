package io.strata.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.topology.ByteSize;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders a preview of a change ({@code POST /api/v1/previews}) for {@code strata ctl preview}. */
final class PreviewTable {
  private PreviewTable() {}

  static String render(JsonNode preview) {
    JsonNode m = preview.path("movement");
    StringBuilder out = new StringBuilder();
    out.append(preview.path("change").asText())
        .append(" (map epoch ")
        .append(preview.path("epoch").asLong())
        .append("): nothing is changed by a preview\n");
    long copies = m.path("copies").asLong();
    out.append("  moves       ")
        .append(copies)
        .append(copies == 1 ? " copy, " : " copies, ")
        .append(ByteSize.format(m.path("bytes").asLong()))
        .append(String.format(" (%.1f%% of stored)", 100 * m.path("peakMisplacedShare").asDouble()))
        .append('\n');
    out.append("  time        ");
    if (m.path("etaSeconds").isNumber()) {
      out.append(duration(m.path("etaSeconds").asLong()))
          .append(" at the budgets; bottleneck ")
          .append(m.path("bottleneck").asText());
    } else {
      out.append(copies == 0 ? "none" : "not bounded by any budget");
    }
    out.append('\n');
    out.append("  placements  ")
        .append(m.path("shards").asInt())
        .append(" examined, ")
        .append(m.path("shardsMoving").asInt())
        .append(" move, ")
        .append(m.path("shardsLosingRedundancy").asInt())
        .append(" could no longer be placed in full\n");
    List<String> broken = new ArrayList<>();
    preview.path("brokenPolicies").forEach(b -> broken.add(b.asText()));
    out.append("  policies    ")
        .append(broken.isEmpty() ? "all still placeable" : "broken: " + String.join("; ", broken))
        .append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"  BY", "", "COPIES", "BYTES"});
    moves(rows, "tier", m.path("byTier"));
    moves(rows, "link", m.path("byLink"));
    if (rows.size() > 1) {
      out.append(Columns.align(rows));
    }
    return out.toString();
  }

  private static void moves(List<String[]> rows, String by, JsonNode moves) {
    for (Iterator<Map.Entry<String, JsonNode>> it = moves.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      rows.add(
          new String[] {
            "  " + by,
            e.getKey(),
            String.valueOf(e.getValue().path("copies").asLong()),
            ByteSize.format(e.getValue().path("bytes").asLong())
          });
    }
  }

  private static String duration(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 2 * 3600) {
      return (seconds + 59) / 60 + " min";
    }
    return String.format("%.1f h", seconds / 3600.0);
  }
}
