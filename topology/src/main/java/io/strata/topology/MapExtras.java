package io.strata.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation of the parts of a cluster map that placement adds: slots and exceptions. */
final class MapExtras {
  /** Slots stay below this so that placement can address them in a 2^31-leaf draw. */
  static final int MAX_SLOT = Integer.MAX_VALUE - 1;

  private MapExtras() {}

  static Map<String, Integer> assignSlots(
      Collection<String> poolIds, Map<String, Integer> given, List<String> problems) {
    Map<Integer, String> owner = new HashMap<>();
    int next = 0;
    for (Map.Entry<String, Integer> e : given.entrySet()) {
      Integer slot = e.getValue();
      if (!poolIds.contains(e.getKey())) {
        continue;
      }
      if (slot == null || slot < 0 || slot > MAX_SLOT) {
        problems.add("pool '" + e.getKey() + "': slot " + slot + " is not in 0.." + MAX_SLOT);
        continue;
      }
      String other = owner.putIfAbsent(slot, e.getKey());
      if (other != null) {
        problems.add("pool '" + e.getKey() + "': slot " + slot + " is taken by '" + other + "'");
      }
      next = Math.max(next, slot + 1);
    }
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (String id : poolIds) {
      Integer slot = given.get(id);
      if (slot == null || slot < 0 || slot > MAX_SLOT) {
        slot = next++;
      }
      slots.put(id, slot);
    }
    return Collections.unmodifiableMap(slots);
  }

  static Map<String, List<CopyRemap>> indexRemaps(
      Collection<CopyRemap> remaps, Map<String, Pool> pools, List<String> problems) {
    Map<String, List<CopyRemap>> byShard = new HashMap<>();
    for (CopyRemap r : remaps) {
      String what = "remap of shard '" + r.shard() + "' from '" + r.from() + "' to '" + r.to();
      if (!pools.containsKey(r.from()) || !pools.containsKey(r.to())) {
        problems.add(what + "': names a pool that does not exist");
        continue;
      }
      if (r.from().equals(r.to())) {
        problems.add(what + "': source and target are the same pool");
        continue;
      }
      List<CopyRemap> list = byShard.computeIfAbsent(r.shard(), k -> new ArrayList<>(2));
      if (list.stream().anyMatch(o -> o.from().equals(r.from()))) {
        problems.add(what + "': the shard already has a remap from '" + r.from() + "'");
        continue;
      }
      list.add(r);
    }
    byShard.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(byShard);
  }
}
