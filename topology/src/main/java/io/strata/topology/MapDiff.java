package io.strata.topology;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed between two cluster maps: tiers, domains, pools and placement exceptions added,
 * removed or changed, and for a change, which fields went from what to what. Pure.
 *
 * @param fromEpoch the older map's epoch
 * @param toEpoch the newer map's epoch
 * @param changes tiers first, then domains, pools and exceptions, each in the maps' order
 */
public record MapDiff(long fromEpoch, long toEpoch, List<Change> changes) {
  public MapDiff {
    changes = List.copyOf(changes);
  }

  /** How an item changed. */
  public enum Kind {
    ADDED,
    REMOVED,
    CHANGED
  }

  /**
   * One changed item.
   *
   * @param kind added, removed or changed
   * @param item {@code tier}, {@code domain}, {@code pool} or {@code remap}
   * @param id the item's id; for an exception {@code shard:fromPool}
   * @param fields for a change, {@code field: old -> new} per changed field; empty otherwise
   */
  public record Change(Kind kind, String item, String id, List<String> fields) {
    public Change {
      fields = List.copyOf(fields);
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT)
          + " "
          + item
          + " '"
          + id
          + "'"
          + (fields.isEmpty() ? "" : " " + fields);
    }
  }

  /** The changes that turn {@code from} into {@code to}. */
  public static MapDiff between(ClusterMap from, ClusterMap to) {
    List<Change> changes = new ArrayList<>();
    compare("tier", from.tiers(), to.tiers(), t -> List.of(), changes);
    compare("domain", from.domains(), to.domains(), d -> List.of(), changes);
    compare(
        "pool",
        from.pools(),
        to.pools(),
        p -> {
          Integer a = from.slots().get(p.id());
          Integer b = to.slots().get(p.id());
          return Objects.equals(a, b) ? List.of() : List.of("slot: " + a + " -> " + b);
        },
        changes);
    compare("remap", remapsById(from), remapsById(to), r -> List.of(), changes);
    return new MapDiff(from.epoch(), to.epoch(), changes);
  }

  /** True when the maps hold the same items (epochs aside). */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The changes to one kind of item. */
  public List<Change> of(String item) {
    return changes.stream().filter(c -> c.item().equals(item)).toList();
  }

  private static Map<String, CopyRemap> remapsById(ClusterMap map) {
    Map<String, CopyRemap> byId = new java.util.TreeMap<>();
    for (CopyRemap r : map.allRemaps()) {
      byId.put(r.shard() + ":" + r.from(), r);
    }
    return byId;
  }

  private static <T extends Record> void compare(
      String item,
      Map<String, T> before,
      Map<String, T> after,
      Function<T, List<String>> extra,
      List<Change> out) {
    for (Map.Entry<String, T> e : before.entrySet()) {
      T next = after.get(e.getKey());
      if (next == null) {
        out.add(new Change(Kind.REMOVED, item, e.getKey(), List.of()));
        continue;
      }
      List<String> fields = fields(e.getValue(), next);
      fields.addAll(extra.apply(next));
      if (!fields.isEmpty()) {
        out.add(new Change(Kind.CHANGED, item, e.getKey(), fields));
      }
    }
    for (String id : after.keySet()) {
      if (!before.containsKey(id)) {
        out.add(new Change(Kind.ADDED, item, id, List.of()));
      }
    }
  }

  private static List<String> fields(Record a, Record b) {
    List<String> fields = new ArrayList<>();
    for (RecordComponent c : a.getClass().getRecordComponents()) {
      Object x = value(c, a);
      Object y = value(c, b);
      if (!Objects.equals(x, y)) {
        fields.add(c.getName() + ": " + show(x) + " -> " + show(y));
      }
    }
    return fields;
  }

  private static Object value(RecordComponent c, Record r) {
    try {
      return c.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("record component " + c.getName() + " is unreadable", e);
    }
  }

  private static String show(Object o) {
    return o instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT) : String.valueOf(o);
  }
}
