package io.strata.controller.kubernetes;

import io.strata.controller.security.Hashes;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which failure domains may be disrupted voluntarily now. Pure: the map, the nodes and which
 * domains share shard copies in, a budget per domain out.
 *
 * <p>A domain is disrupted while a node in it is cordoned or not ready, or a pool in it is down or
 * draining. A domain that holds copies of a shard that a disrupted domain (other than itself) also
 * holds gets a budget of no pod: Kubernetes then evicts none of its agents, so no drain can take a
 * second copy of a shard away. Every other domain may lose all its agents at once, one domain's
 * drain at a time being what the budgets are for.
 */
public final class DisruptionPlan {
  /** The label the controller puts on agent pods and their budgets' selectors, per level. */
  public static String domainLabel(DomainLevel level) {
    return "strata.io/" + level.label();
  }

  private DisruptionPlan() {}

  /**
   * One domain's budget.
   *
   * @param domain the domain's id
   * @param name the PodDisruptionBudget's name
   * @param blocked true when none of its agents may be evicted
   * @param sharesWith the disrupted domains that hold copies of its shards, when blocked
   */
  public record Budget(String domain, String name, boolean blocked, Set<String> sharesWith) {}

  /** The domains at {@code level} that are disrupted, by the map and the nodes. */
  public static Set<String> disrupted(
      ClusterMap map, DomainLevel level, Map<String, NodeFacts> nodes) {
    Set<String> out = new TreeSet<>();
    for (NodeFacts node : nodes.values()) {
      if (node.notReadySince() != null || node.cordonedSince() != null) {
        enclosing(map, node.name(), level).ifPresent(out::add);
      }
    }
    for (Pool pool : map.pools().values()) {
      DomainState state = map.effectiveState(pool);
      if (state == DomainState.DOWN || state == DomainState.DRAINING) {
        map.ancestor(pool, level).map(Domain::id).ifPresent(out::add);
      }
    }
    return out;
  }

  /** The domain at {@code level} that encloses the domain {@code id}, or itself at that level. */
  static java.util.Optional<String> enclosing(ClusterMap map, String id, DomainLevel level) {
    for (Domain d = map.domains().get(id);
        d != null;
        d = d.parent() == null ? null : map.domains().get(d.parent())) {
      if (d.level() == level) {
        return java.util.Optional.of(d.id());
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * A budget for every domain at {@code level}.
   *
   * @param sharing for each disrupted domain, the domains at {@code level} holding copies of the
   *     same shards
   */
  public static List<Budget> plan(
      ClusterMap map, DomainLevel level, Map<String, Set<String>> sharing) {
    return map.domains().values().stream()
        .filter(d -> d.level() == level)
        .map(
            d -> {
              Set<String> with = new TreeSet<>();
              sharing.forEach(
                  (disrupted, shared) -> {
                    if (!disrupted.equals(d.id()) && shared.contains(d.id())) {
                      with.add(disrupted);
                    }
                  });
              return new Budget(d.id(), budgetName(d.id()), !with.isEmpty(), Set.copyOf(with));
            })
        .toList();
  }

  /**
   * A PodDisruptionBudget name for a domain: {@code strata-agents-} and its id in the lower-case
   * letters, digits and dashes Kubernetes allows, with a digest of the id when it had to be changed
   * (so that {@code Rack_1} and {@code rack-1} get different budgets).
   */
  static String budgetName(String domain) {
    String clean = domain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    clean = clean.replaceAll("^-+|-+$", "");
    if (clean.length() > 200) {
      clean = clean.substring(0, 200);
    }
    if (!clean.equals(domain) || clean.isEmpty()) {
      clean = (clean.isEmpty() ? "" : clean + "-") + digest(domain);
    }
    return "strata-agents-" + clean;
  }

  private static String digest(String text) {
    return Hashes.sha256(text).substring(0, 8); // The first 4 bytes, in hex.
  }
}
