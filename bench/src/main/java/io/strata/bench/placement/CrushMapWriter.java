package io.strata.bench.placement;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.Pool;
import io.strata.topology.crush.CrushTypes;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a cluster map and one placement rule as a CRUSH text map that {@code crushtool -c}
 * compiles, so operators can compare with Ceph or take the fleet to Ceph tools. Pure: text out.
 *
 * <p>Pools become devices numbered by their slot and named by their id, with their tier as device
 * class when the map has several tiers; domains become straw2 buckets of the matching type (site is
 * {@code datacenter}, node is {@code host}) under one {@code root default}. A pool that is not up
 * is written with weight 0, as CRUSH skips such devices. The rule is {@code rule 0}: per tier,
 * {@code chooseleaf firstn <count> type <spread>}. CRUSH does not keep domains distinct across
 * tiers of one rule; Strata does.
 */
public final class CrushMapWriter {
  private CrushMapWriter() {}

  /** The CRUSH text of {@code map} with {@code rule} as rule 0. */
  public static String write(ClusterMap map, PlacementRule rule) {
    StringBuilder out = new StringBuilder(64 * map.pools().size() + 4096);
    out.append("# begin crush map\n");
    for (String tunable :
        List.of(
            "choose_local_tries 0",
            "choose_local_fallback_tries 0",
            "choose_total_tries 50",
            "chooseleaf_descend_once 1",
            "chooseleaf_vary_r 1",
            "chooseleaf_stable 1",
            "straw_calc_version 1",
            "allowed_bucket_algs 54")) {
      out.append("tunable ").append(tunable).append('\n');
    }
    boolean classes = map.tiers().size() > 1;
    out.append("\n# devices\n");
    for (Pool p : map.pools().values()) {
      out.append("device ").append(map.slot(p.id())).append(' ').append(p.id());
      if (classes) {
        out.append(" class ").append(p.tier());
      }
      out.append('\n');
    }
    out.append("\n# types\n");
    CrushTypes.WRITTEN.forEach(
        (id, name) -> out.append("type ").append(id).append(' ').append(name).append('\n'));

    Map<String, List<String>> items = new HashMap<>();
    Map<String, Double> weight = new HashMap<>();
    double total = 0;
    for (Pool p : map.pools().values()) {
      total += Math.max(0, p.weight());
    }
    // CRUSH weights are 16.16 fixed point and bucket sums must stay below 65536; placement does
    // not depend on scale, so large fleets are scaled down by a power of ten.
    double scale = 1;
    while (total * scale > 30_000) {
      scale /= 10;
    }
    for (Pool p : map.pools().values()) {
      items.computeIfAbsent(p.domain(), k -> new ArrayList<>()).add(p.id());
      boolean up = map.effectiveState(p).acceptsNewCopies();
      weight.put(p.id(), up ? Math.max(0, p.weight()) * scale : 0);
    }
    List<String> roots = new ArrayList<>();
    for (Domain d : map.domains().values()) {
      if (d.parent() == null) {
        roots.add(d.id());
      } else {
        items.computeIfAbsent(d.parent(), k -> new ArrayList<>()).add(d.id());
      }
    }
    out.append("\n# buckets\n");
    // Bucket ids follow definition order, not tree order, so that domains added at the end of
    // the map leave every other bucket's id, and therefore CRUSH's hashes, unchanged.
    Map<String, Integer> bucketId = new HashMap<>();
    for (String id : map.domains().keySet()) {
      bucketId.put(id, -2 - bucketId.size());
    }
    for (String root : roots) {
      writeBucket(map, root, items, weight, bucketId, out);
    }
    out.append("root default {\n\tid -1\n\talg straw2\n\thash 0\n");
    for (String root : roots) {
      item(out, root, weight.get(root));
    }
    // min_size and max_size are required by Ceph before Quincy and ignored after
    out.append(
        "}\n\n# rules\nrule strata {\n\tid 0\n\ttype replicated\n\tmin_size 1\n\tmax_size 10\n");
    for (TierCopies c : rule.copies()) {
      out.append("\tstep take default");
      if (classes) {
        out.append(" class ").append(c.tier());
      }
      out.append("\n\tstep chooseleaf firstn ")
          .append(rule.copies().size() == 1 ? 0 : c.count())
          .append(" type ")
          .append(CrushTypes.of(rule.spread()))
          .append("\n\tstep emit\n");
    }
    return out.append("}\n\n# end crush map\n").toString();
  }

  /** Writes the bucket of {@code id} after its children, and records its weight. */
  private static void writeBucket(
      ClusterMap map,
      String id,
      Map<String, List<String>> items,
      Map<String, Double> weight,
      Map<String, Integer> bucketId,
      StringBuilder out) {
    List<String> children = items.getOrDefault(id, List.of());
    double total = 0;
    for (String child : children) {
      if (map.domains().containsKey(child)) {
        writeBucket(map, child, items, weight, bucketId, out);
      }
      total += weight.get(child);
    }
    weight.put(id, total);
    Domain d = map.domains().get(id);
    out.append(CrushTypes.of(d.level())).append(' ').append(id).append(" {\n");
    out.append("\tid ").append(bucketId.get(id)).append("\n\talg straw2\n\thash 0\n");
    for (String child : children) {
      item(out, child, weight.get(child));
    }
    out.append("}\n");
  }

  private static void item(StringBuilder out, String name, double weight) {
    out.append("\titem ")
        .append(name)
        .append(" weight ")
        .append(String.format(Locale.ROOT, "%.5f", weight))
        .append('\n');
  }
}
