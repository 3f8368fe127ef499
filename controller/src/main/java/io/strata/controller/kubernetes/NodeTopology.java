package io.strata.controller.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.controller.kubernetes.NodeLabels.Step;
import io.strata.topology.ClusterMap;
import io.strata.topology.Domain;
import io.strata.topology.DomainLevel;
import io.strata.topology.DomainState;
import io.strata.topology.Pool;
import io.strata.topology.TopologyException;
import io.strata.topology.TopologyFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The failure-domain tree the nodes' labels describe, as the next cluster map. Pure: the current
 * map and the nodes in, a map out.
 *
 * <p>Tiers, pools, slots and placement exceptions stay as they are; the domains are those the
 * labels name (a domain's id is its label's value, a node's is its name), keeping the state and
 * labels each had in the current map. A node whose labels cannot be used (a label that names no
 * level, no region, a rack that another node puts in another room) is reported by name and stays
 * where the current map has it. Domains a pool needs that no node names (a pool in a rack of its
 * own, a node no longer in Kubernetes) stay as they are. The whole result then goes through the
 * topology file's validation, as a file would.
 */
public final class NodeTopology {
  /** What {@link #propose} names as the source of its map, in messages. */
  public static final String SOURCE = "kubernetes nodes";

  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeTopology() {}

  /**
   * The map the nodes describe.
   *
   * @param map the map the nodes describe, at the current epoch plus one; null when it is not a
   *     valid map (then {@code problems} says why, and nothing may change)
   * @param problems each node that could not be placed as its labels say, by name, and why
   * @param held the nodes kept where the current map has them
   */
  public record Proposal(ClusterMap map, List<String> problems, Set<String> held) {}

  /**
   * @param drained the nodes whose domain is to be draining (cordoned, when cordons are planned
   *     drains); null to leave every node's state as it is
   */
  public static Proposal propose(
      ClusterMap current, Collection<NodeFacts> nodes, NodeLabels labels, Set<String> drained) {
    Map<String, NodeLabels.Place> places = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    Set<String> held = new TreeSet<>();
    for (NodeFacts node : nodes) {
      NodeLabels.Place place = labels.place(node.name(), node.labels());
      places.put(node.name(), place);
      if (!place.problems().isEmpty()) {
        problems.addAll(place.problems());
        held.add(node.name());
      }
    }
    Map<String, Claim> domains = claims(current, places, held, problems);
    // Domains that pools need and no node names stay as the current map has them.
    for (Pool pool : current.pools().values()) {
      for (Domain d = current.domains().get(pool.domain());
          d != null && !domains.containsKey(d.id());
          d = d.parent() == null ? null : current.domains().get(d.parent())) {
        domains.put(d.id(), new Claim(d.level(), d.parent(), "the current map"));
      }
    }
    List<TopologyFile.DomainEntry> entries = new ArrayList<>();
    domains.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<String, Claim> e) -> e.getValue().level())
                .thenComparing(Map.Entry::getKey))
        .forEach(e -> entries.add(entry(current, e.getKey(), e.getValue(), places, drained)));
    TopologyFile.Document was = TopologyFile.document(current);
    TopologyFile.Document next =
        new TopologyFile.Document(
            current.epoch() + 1, was.tiers(), entries, was.pools(), was.remaps());
    try {
      // JSON is YAML: the nodes' tree goes through the topology file's validation.
      ClusterMap map = TopologyFile.parse(SOURCE, JSON.writeValueAsString(next));
      return new Proposal(map, List.copyOf(problems), Set.copyOf(held));
    } catch (TopologyException e) {
      problems.addAll(e.problems());
      return new Proposal(null, List.copyOf(problems), Set.copyOf(held));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cluster map could not be written", e);
    }
  }

  /** One domain as the nodes describe it, and the first node that did. */
  private record Claim(DomainLevel level, String parent, String by) {}

  /**
   * Every domain the nodes name. A domain two nodes put in different places (a rack in two rooms)
   * or at different levels is a conflict: the nodes that disagree with the current map are held
   * where it has them, or all of them when the domain is new; and again until none is left.
   */
  private static Map<String, Claim> claims(
      ClusterMap current,
      Map<String, NodeLabels.Place> places,
      Set<String> held,
      List<String> problems) {
    while (true) {
      Map<String, Claim> domains = new LinkedHashMap<>();
      Map<String, String> conflicts = new TreeMap<>(); // node -> why
      for (Map.Entry<String, NodeLabels.Place> e : places.entrySet()) {
        String node = e.getKey();
        List<Step> steps = held.contains(node) ? currentSteps(current, node) : e.getValue().steps();
        String parent = null;
        for (Step step : steps) {
          Claim claim = new Claim(step.level(), parent, node);
          Claim first = domains.putIfAbsent(step.id(), claim);
          if (first != null && !sameSpot(first, claim)) {
            Domain now = current.domains().get(step.id());
            boolean firstAgrees = now != null && sameSpot(first, spotOf(now));
            boolean thisAgrees = now != null && sameSpot(claim, spotOf(now));
            String why = describe(step.id(), claim) + ", but node '" + first.by() + "' puts it ";
            if (!thisAgrees) {
              conflicts.putIfAbsent(node, why + where(first));
            }
            if (!firstAgrees && !held.contains(first.by())) {
              conflicts.putIfAbsent(
                  first.by(),
                  describe(step.id(), first) + ", but node '" + node + "' puts it " + where(claim));
            }
            if (!firstAgrees && thisAgrees) {
              domains.put(step.id(), claim);
            }
          }
          parent = step.id();
        }
      }
      conflicts.keySet().removeAll(held);
      if (conflicts.isEmpty()) {
        return domains;
      }
      conflicts.forEach((node, why) -> problems.add("node '" + node + "': " + why));
      held.addAll(conflicts.keySet());
    }
  }

  /** A node's place in the current map; none when the map does not have it. */
  private static List<Step> currentSteps(ClusterMap map, String node) {
    List<Step> steps = new ArrayList<>();
    for (Domain d = map.domains().get(node);
        d != null;
        d = d.parent() == null ? null : map.domains().get(d.parent())) {
      steps.add(0, new Step(d.level(), d.id()));
    }
    return steps;
  }

  private static Claim spotOf(Domain d) {
    return new Claim(d.level(), d.parent(), "the current map");
  }

  private static boolean sameSpot(Claim a, Claim b) {
    return a.level() == b.level() && Objects.equals(a.parent(), b.parent());
  }

  private static String describe(String id, Claim claim) {
    return claim.level().label() + " '" + id + "' is " + where(claim);
  }

  private static String where(Claim claim) {
    return claim.parent() == null
        ? "a " + claim.level().label() + " at the top"
        : "a " + claim.level().label() + " in '" + claim.parent() + "'";
  }

  private static TopologyFile.DomainEntry entry(
      ClusterMap current,
      String id,
      Claim claim,
      Map<String, NodeLabels.Place> places,
      Set<String> drained) {
    Domain was = current.domains().get(id);
    DomainState state = was == null ? DomainState.UP : was.state();
    if (drained != null && claim.level() == DomainLevel.NODE && places.containsKey(id)) {
      if (drained.contains(id)) {
        state = DomainState.DRAINING;
      } else if (state == DomainState.DRAINING) {
        state = DomainState.UP; // Uncordoned: the planned drain is over.
      }
    }
    Map<String, String> kept = was == null || was.labels().isEmpty() ? null : was.labels();
    return new TopologyFile.DomainEntry(
        id,
        claim.level().label(),
        claim.parent(),
        kept,
        state == DomainState.UP ? null : state.label());
  }
}
