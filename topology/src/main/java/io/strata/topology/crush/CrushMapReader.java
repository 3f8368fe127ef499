package io.strata.topology.crush;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.Pool;
import io.strata.topology.Tier;
import io.strata.topology.TopologyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the hierarchy of a CRUSH text map (as {@code crushtool -d} writes it) as a topology, so
 * operators coming from Ceph can bring their map. Pure: text in, a validated map out.
 *
 * <p>Bucket types map to levels: {@code host} is a node, {@code rack}, {@code row}, {@code room}
 * and {@code region} are themselves, {@code datacenter} is a site. Buckets of other types (chassis,
 * pdu, pod, zone) are dissolved into their parent; a {@code root} becomes a region unless it holds
 * regions. Devices become pools in the bucket that holds them: the device id is the slot, the item
 * weight the weight (and the capacity, in TiB), the device class the tier ({@code default} without
 * one). Endpoints and credentials are not in a CRUSH map; pools get {@code unset:<name>} endpoints
 * to fill in. Rules, tunables and choose_args are skipped.
 */
public final class CrushMapReader {
  private CrushMapReader() {}

  private record Device(int id, String name, String tier, int line) {}

  private record Item(String name, double weight, int line) {}

  private record Bucket(String name, String type, int line, List<Item> items) {}

  /**
   * Parses a CRUSH text map.
   *
   * @param source the file name, used in messages
   * @throws TopologyException whose problems each name the source and line, or the item
   */
  public static ClusterMap read(String source, String text) {
    List<String> problems = new ArrayList<>();
    Map<String, Device> devices = new LinkedHashMap<>();
    Map<String, Integer> types = new HashMap<>();
    Map<String, Bucket> buckets = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    Bucket open = null;
    int skipping = 0;
    for (int i = 0; i < lines.length; i++) {
      int no = i + 1;
      String where = source + ":" + no + ": ";
      String line = lines[i].replaceFirst("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] w = line.split("\\s+");
      if (skipping > 0) {
        skipping += braces(line);
        continue;
      }
      if (open != null) {
        if (line.equals("}")) {
          open = null;
        } else if (w[0].equals("item")) {
          item(where, w, no, devices, buckets, open, problems);
        } else if (!List.of("id", "alg", "hash").contains(w[0])) {
          problems.add(where + "unexpected '" + w[0] + "' in bucket '" + open.name() + "'");
        }
        continue;
      }
      switch (w[0]) {
        case "tunable" -> {}
        case "device" -> device(where, w, no, devices, problems);
        case "type" -> {
          if (w.length != 3 || !isInt(w[1])) {
            problems.add(where + "expected 'type <id> <name>'");
          } else {
            types.put(w[2], Integer.parseInt(w[1]));
          }
        }
        case "rule", "choose_args" -> skipping = braces(line);
        default -> {
          if (w.length == 3 && w[2].equals("{")) {
            if (!types.containsKey(w[0])) {
              problems.add(where + "bucket '" + w[1] + "' has unknown type '" + w[0] + "'");
            }
            if (buckets.containsKey(w[1]) || devices.containsKey(w[1])) {
              problems.add(where + "bucket '" + w[1] + "' is defined twice");
            }
            open = new Bucket(w[1], w[0], no, new ArrayList<>());
            buckets.put(w[1], open);
          } else {
            problems.add(where + "cannot read '" + line + "'");
          }
        }
      }
    }
    if (open != null) {
      problems.add(
          source + ":" + open.line() + ": bucket '" + open.name() + "' is never closed with '}'");
    }
    if (!problems.isEmpty()) {
      throw new TopologyException(problems);
    }
    return toMap(source, devices, buckets, problems);
  }

  private static void device(
      String where, String[] w, int no, Map<String, Device> devices, List<String> problems) {
    if (w.length < 3
        || !isInt(w[1])
        || (w.length != 3 && !(w.length == 5 && w[3].equals("class")))) {
      problems.add(where + "expected 'device <id> <name> [class <class>]'");
      return;
    }
    int id = Integer.parseInt(w[1]);
    if (id < 0) {
      problems.add(where + "device '" + w[2] + "' has negative id " + id);
      return;
    }
    if (devices.putIfAbsent(w[2], new Device(id, w[2], w.length == 5 ? w[4] : "default", no))
        != null) {
      problems.add(where + "device '" + w[2] + "' is defined twice");
    }
  }

  private static void item(
      String where,
      String[] w,
      int no,
      Map<String, Device> devices,
      Map<String, Bucket> buckets,
      Bucket open,
      List<String> problems) {
    if (w.length < 4 || !w[2].equals("weight")) {
      problems.add(where + "expected 'item <name> weight <weight>'");
      return;
    }
    if (!devices.containsKey(w[1]) && !buckets.containsKey(w[1])) {
      problems.add(where + "item '" + w[1] + "' is not defined above");
      return;
    }
    if (w[1].equals(open.name())) {
      problems.add(where + "bucket '" + open.name() + "' holds itself");
      return;
    }
    double weight;
    try {
      weight = Double.parseDouble(w[3]);
    } catch (NumberFormatException e) {
      problems.add(where + "item '" + w[1] + "': weight '" + w[3] + "' is not a number");
      return;
    }
    if (weight < 0 || Double.isNaN(weight)) {
      problems.add(where + "item '" + w[1] + "': weight " + w[3] + " is negative");
      return;
    }
    open.items().add(new Item(w[1], weight, no));
  }

  private static ClusterMap toMap(
      String source,
      Map<String, Device> devices,
      Map<String, Bucket> buckets,
      List<String> problems) {
    Map<String, String> parentOf = new HashMap<>();
    Map<String, Double> deviceWeight = new HashMap<>();
    for (Bucket b : buckets.values()) {
      for (Item item : b.items()) {
        String earlier = parentOf.putIfAbsent(item.name(), b.name());
        if (earlier != null) {
          problems.add(
              source
                  + ":"
                  + item.line()
                  + ": item '"
                  + item.name()
                  + "' is already in bucket '"
                  + earlier
                  + "'");
        }
        if (devices.containsKey(item.name())) {
          deviceWeight.put(item.name(), item.weight());
        }
      }
    }
    List<Domain> domains = new ArrayList<>();
    for (Bucket b : buckets.values()) {
      levelOf(b, buckets)
          .ifPresent(
              level ->
                  domains.add(
                      new Domain(
                          b.name(), level, mappedParent(b.name(), parentOf, buckets), null, null)));
    }
    Map<String, Tier> tiers = new LinkedHashMap<>();
    List<Pool> pools = new ArrayList<>();
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (Device d : devices.values()) {
      if (!parentOf.containsKey(d.name())) {
        continue;
      }
      tiers.putIfAbsent(d.tier(), new Tier(d.tier(), d.tier(), null, 0, 0.85));
      double weight = deviceWeight.get(d.name());
      pools.add(
          new Pool(
              d.name(),
              mappedParent(d.name(), parentOf, buckets),
              d.tier(),
              "unset:" + d.name(),
              Math.round(weight * io.strata.topology.ByteSize.TIB),
              null,
              null,
              weight));
      slots.put(d.name(), d.id());
    }
    try {
      if (!problems.isEmpty()) {
        throw new TopologyException(problems);
      }
      return ClusterMap.of(1, tiers.values(), domains, pools, slots, List.of());
    } catch (TopologyException e) {
      List<String> all = new ArrayList<>();
      for (String p : e.problems()) {
        all.add(p.startsWith(source) ? p : source + ": " + p);
      }
      throw new TopologyException(all);
    }
  }

  private static Optional<DomainLevel> levelOf(Bucket b, Map<String, Bucket> buckets) {
    if (b.type().equals("root")) {
      boolean holdsRegions =
          b.items().stream()
              .map(i -> buckets.get(i.name()))
              .anyMatch(c -> c != null && c.type().equals("region"));
      return holdsRegions ? Optional.empty() : Optional.of(DomainLevel.REGION);
    }
    return CrushTypes.level(b.type());
  }

  /** The nearest enclosing bucket that becomes a domain, skipping dissolved ones. */
  private static String mappedParent(
      String name, Map<String, String> parentOf, Map<String, Bucket> buckets) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String p = parentOf.get(name); p != null; p = parentOf.get(p)) {
      if (!seen.add(p)) {
        return p;
      }
      if (levelOf(buckets.get(p), buckets).isPresent()) {
        return p;
      }
    }
    return null;
  }

  /** Opening minus closing braces: rules and choose_args blocks nest. */
  private static int braces(String line) {
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    }
    return depth;
  }

  private static boolean isInt(String s) {
    return s.matches("-?\\d+");
  }
}
