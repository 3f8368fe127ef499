package io.strata.policy.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which objects of a dataset a policy governs: key prefixes and metadata conditions, all of which
 * must hold. An empty selector takes every object.
 *
 * <p>Metadata field names compare without regard to case, as S3 user metadata does; values compare
 * exactly. A field named in the selector but absent from the object does not match.
 *
 * @param keyPrefixes the object key must start with one of these; empty for any key
 * @param metadata for each field (lower case), the values allowed; the object's value must be one
 */
public record ObjectSelector(List<String> keyPrefixes, Map<String, Set<String>> metadata) {
  /** Every object. */
  public static final ObjectSelector ALL = new ObjectSelector(List.of(), Map.of());

  public ObjectSelector {
    keyPrefixes = List.copyOf(keyPrefixes);
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    metadata.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), new LinkedHashSet<>(v)));
    copy.replaceAll((k, v) -> java.util.Collections.unmodifiableSet(v));
    metadata = java.util.Collections.unmodifiableMap(copy);
  }

  /** True when the object's key and metadata satisfy every condition. */
  public boolean matches(String key, Map<String, String> objectMetadata) {
    return mismatches(key, objectMetadata).isEmpty();
  }

  /** Why the object is not selected, one reason per failed condition; empty when it is. */
  public List<String> mismatches(String key, Map<String, String> objectMetadata) {
    List<String> reasons = new ArrayList<>();
    if (!keyPrefixes.isEmpty() && keyPrefixes.stream().noneMatch(key::startsWith)) {
      reasons.add("key '" + key + "' starts with none of " + keyPrefixes);
    }
    Map<String, String> lower = new LinkedHashMap<>();
    objectMetadata.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    metadata.forEach(
        (field, allowed) -> {
          String value = lower.get(field);
          if (value == null) {
            reasons.add("metadata " + field + " is missing; wanted one of " + allowed);
          } else if (!allowed.contains(value)) {
            reasons.add("metadata " + field + " = " + value + " is not one of " + allowed);
          }
        });
    return reasons;
  }

  /**
   * True when some object could satisfy both selectors: no field constrained by both to disjoint
   * values, and key prefixes that can both hold.
   */
  public boolean overlaps(ObjectSelector other) {
    for (var e : metadata.entrySet()) {
      Set<String> theirs = other.metadata.get(e.getKey());
      if (theirs != null && theirs.stream().noneMatch(e.getValue()::contains)) {
        return false;
      }
    }
    if (keyPrefixes.isEmpty() || other.keyPrefixes.isEmpty()) {
      return true;
    }
    for (String a : keyPrefixes) {
      for (String b : other.keyPrefixes) {
        if (a.startsWith(b) || b.startsWith(a)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    if (keyPrefixes.isEmpty() && metadata.isEmpty()) {
      return "every object";
    }
    List<String> parts = new ArrayList<>();
    if (!keyPrefixes.isEmpty()) {
      parts.add("key prefix in " + keyPrefixes);
    }
    metadata.forEach((k, v) -> parts.add(k + " in " + v));
    return String.join(" and ", parts);
  }
}
