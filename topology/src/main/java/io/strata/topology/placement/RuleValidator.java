package io.strata.topology.placement;

import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.Pool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks whether a cluster map can satisfy a placement rule, and says why not.
 *
 * <p>A rule is satisfiable when its copies can be given to distinct domains of the spread level,
 * each holding an up pool of the copy's tier. With copies per tier this is a matching problem; by
 * Hall's theorem it has a solution exactly when, for every set S of the rule's tiers, the domains
 * offering any tier of S number at least the copies S asks for. Rules name few tiers, so checking
 * every subset is cheap.
 */
public final class RuleValidator {
  private RuleValidator() {}

  /** The problems that keep {@code map} from satisfying {@code rule}; empty when it can. */
  public static List<String> problems(PlacementRule rule, ClusterMap map) {
    List<String> problems = new ArrayList<>();
    String level = rule.spread().label();
    Map<String, Set<String>> domainsByTier = new LinkedHashMap<>();
    for (TierCopies c : rule.copies()) {
      if (!map.tiers().containsKey(c.tier())) {
        problems.add("tier '" + c.tier() + "' is unknown; the map has " + map.tiers().keySet());
        continue;
      }
      domainsByTier.put(c.tier(), new HashSet<>());
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    for (Pool p : map.pools().values()) {
      Set<String> domains = domainsByTier.get(p.tier());
      if (domains == null || !map.effectiveState(p).acceptsNewCopies()) {
        continue;
      }
      Optional<Domain> at = map.ancestor(p, rule.spread());
      at.ifPresent(d -> domains.add(d.id()));
    }
    for (TierCopies c : rule.copies()) {
      int have = domainsByTier.get(c.tier()).size();
      if (have < c.count()) {
        problems.add(
            "spread: "
                + level
                + " needs "
                + c.count()
                + " "
                + plural(level, c.count())
                + " with tier "
                + c.tier()
                + ", map has "
                + have);
      }
    }
    if (!problems.isEmpty() || rule.copies().size() == 1) {
      return problems;
    }
    int n = rule.copies().size();
    for (int subset = 1; subset < (1 << n); subset++) {
      if (Integer.bitCount(subset) < 2) {
        continue;
      }
      Set<String> union = new HashSet<>();
      int wanted = 0;
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if ((subset & (1 << i)) != 0) {
          TierCopies c = rule.copies().get(i);
          union.addAll(domainsByTier.get(c.tier()));
          wanted += c.count();
          names.add(c.tier());
        }
      }
      if (union.size() < wanted) {
        problems.add(
            "spread: "
                + level
                + " needs "
                + wanted
                + " distinct "
                + plural(level, wanted)
                + " for tiers "
                + String.join(" and ", names)
                + ", map has "
                + union.size());
      }
    }
    return problems;
  }

  private static String plural(String level, int count) {
    return count == 1 ? level : level + "s";
  }
}
