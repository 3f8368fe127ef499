package io.strata.controller.kubernetes;

import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The next step of a rolling update of the agents, one failure domain at a time. Pure: the map, the
 * agent pods, the agents' heartbeats and the domains whose budgets block disruption in; a step out.
 *
 * <p>A node is upgraded when its pod runs the new image and its agent is up and reports the new
 * version; it is old while its pod runs another image; otherwise (its pod deleted, or new but its
 * agent not back at the new version) it is coming back. While any domain has a node coming back,
 * nothing else is rolled; then the first domain (by id) with old nodes whose budget does not block
 * disruption has its old pods deleted, for the DaemonSet to make them again.
 */
public final class RolloutPlan {
  private RolloutPlan() {}

  /** An agent pod: its name, its node and its agent container's image. */
  public record AgentPod(String name, String node, String image) {}

  /** An agent as its heartbeats show it: whether it is up, and the version it reports. */
  public record Agent(boolean up, String version) {}

  /** What to do next. */
  public sealed interface Step permits Wait, Roll, Done {}

  /** Nothing now: a domain's agents are not back yet, or every domain left is blocked. */
  public record Wait(String why) implements Step {}

  /** Delete these pods of {@code domain}. */
  public record Roll(String domain, List<String> pods) implements Step {}

  /** Every agent runs the image and reports the version. */
  public record Done() implements Step {}

  /**
   * @param nodes the storage nodes, by name
   * @param agents the agents by node
   * @param blocked the domains whose budgets allow no disruption now
   */
  public static Step next(
      ClusterMap map,
      DomainLevel level,
      Set<String> nodes,
      Collection<AgentPod> pods,
      Map<String, Agent> agents,
      String image,
      String version,
      Set<String> blocked) {
    Map<String, AgentPod> podOf = new HashMap<>();
    pods.forEach(p -> podOf.put(p.node(), p));
    Map<String, List<String>> comingBack = new TreeMap<>();
    Map<String, List<String>> old = new TreeMap<>();
    for (String node : new TreeSet<>(nodes)) {
      String domain =
          DisruptionPlan.enclosing(map, node, level).orElse("(no " + level.label() + ")");
      AgentPod pod = podOf.get(node);
      Agent agent = agents.get(node);
      boolean newPod = pod != null && image.equals(pod.image());
      if (pod != null && !newPod) {
        old.computeIfAbsent(domain, d -> new ArrayList<>()).add(pod.name());
      } else if (!newPod || agent == null || !agent.up() || !version.equals(agent.version())) {
        comingBack.computeIfAbsent(domain, d -> new ArrayList<>()).add(node);
      }
    }
    if (!comingBack.isEmpty()) {
      return new Wait("agents not back at " + version + " yet: " + comingBack);
    }
    for (Map.Entry<String, List<String>> e : old.entrySet()) {
      if (!blocked.contains(e.getKey())) {
        return new Roll(e.getKey(), List.copyOf(e.getValue()));
      }
    }
    return old.isEmpty()
        ? new Done()
        : new Wait(
            level.label()
                + "s "
                + old.keySet()
                + " hold copies of the same shards as a disrupted "
                + level.label());
  }
}
