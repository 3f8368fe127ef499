package io.strata.controller.kubernetes;

import io.dropwizard.lifecycle.Managed;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.fleet.view.AgentState;
import io.strata.fleet.view.AgentView;
import io.strata.runtime.DaemonScheduler;
import io.strata.topology.DomainLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' DaemonSet, managed by the leader when {@code kubernetes.manageAgents} is set: its
 * template runs {@code agentImage} and updates only when a pod is deleted ({@code OnDelete}), and
 * the leader deletes the old pods one failure domain (rack) at a time, waiting until that domain's
 * agents heartbeat again at {@code agentVersion} before the next ({@link RolloutPlan}). A domain
 * whose budget blocks disruption ({@link AgentBudgets}) waits.
 *
 * <p>Idempotent; a new leader picks the rollout up from the pods and heartbeats. Errors of the API
 * are logged and shown by {@link #error()}. Must be started and stopped once.
 */
public final class AgentRollout implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRollout.class);

  private final KubernetesClient client;
  private final KubernetesFactory config;
  private final DomainLevel level;
  private final ClusterMapStore maps;
  private final NodeWatch nodes;
  private final AgentBudgets budgets;
  private final Supplier<List<AgentView>> agents;
  private final BooleanSupplier leading;
  private volatile String error;
  private volatile RolloutPlan.Step last;
  private ScheduledExecutorService scheduler;

  /**
   * @param agents the agents as the registry shows them
   */
  public AgentRollout(
      KubernetesClient client,
      KubernetesFactory config,
      ClusterMapStore maps,
      NodeWatch nodes,
      AgentBudgets budgets,
      Supplier<List<AgentView>> agents,
      BooleanSupplier leading) {
    this.client = client;
    this.config = config;
    this.level = config.disruptionDomainLevel();
    this.maps = maps;
    this.nodes = nodes;
    this.budgets = budgets;
    this.agents = agents;
    this.leading = leading;
  }

  @Override
  public synchronized void start() {
    scheduler = DaemonScheduler.named("kubernetes-agents");
    long ms = config.getSyncInterval().toMilliseconds();
    scheduler.scheduleWithFixedDelay(this::syncQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
      scheduler = null;
    }
  }

  /** The last error of the API, while it lasts; null when none. */
  public String error() {
    return error;
  }

  /** The last step decided; null before the first. */
  public RolloutPlan.Step last() {
    return last;
  }

  private void syncQuietly() {
    try {
      sync();
      error = null;
    } catch (Exception e) {
      String now =
          KubernetesErrors.describe(
              "roll the agents' DaemonSet " + config.getAgentDaemonSet(),
              client.getMasterUrl().toString(),
              e);
      if (!now.equals(error)) {
        LOG.error("{}; retrying", now);
      }
      error = now;
    }
  }

  /** One step of the rollout, on the leader. */
  synchronized void sync() {
    if (!leading.getAsBoolean()
        || !nodes.status().synced()
        || !budgets.kept()
        || budgets.agentPods() == null) {
      return;
    }
    String ns = config.getNamespace();
    String name = config.getAgentDaemonSet();
    DaemonSet set = client.apps().daemonSets().inNamespace(ns).withName(name).get();
    if (set == null) {
      throw new IllegalStateException("no DaemonSet " + ns + "/" + name + " to manage");
    }
    if (!isManaged(set)) {
      client
          .apps()
          .daemonSets()
          .inNamespace(ns)
          .withName(name)
          .edit(
              d -> {
                d.getSpec().setUpdateStrategy(new DaemonSetUpdateStrategy(null, "OnDelete"));
                agentContainer(d).setImage(config.getAgentImage());
                return d;
              });
      LOG.info(
          "DaemonSet {} now runs {}, rolled one {} at a time",
          name,
          config.getAgentImage(),
          level.label());
    }
    List<RolloutPlan.AgentPod> pods = new ArrayList<>();
    for (Pod pod : budgets.agentPods()) {
      if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
        String image =
            pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(config.getAgentContainer()))
                .map(Container::getImage)
                .findFirst()
                .orElse(null);
        pods.add(
            new RolloutPlan.AgentPod(
                pod.getMetadata().getName(), pod.getSpec().getNodeName(), image));
      }
    }
    Map<String, RolloutPlan.Agent> byNode = new HashMap<>();
    for (AgentView agent : agents.get()) {
      if (agent.node() != null) {
        byNode.put(
            agent.node(), new RolloutPlan.Agent(agent.state() == AgentState.UP, agent.version()));
      }
    }
    RolloutPlan.Step step =
        RolloutPlan.next(
            maps.current(),
            level,
            nodes.nodes().keySet(),
            pods,
            byNode,
            config.getAgentImage(),
            config.getAgentVersion(),
            budgets.blocked());
    if (!step.equals(last)) {
      LOG.info("agents' rollout: {}", step);
    }
    last = step;
    if (step instanceof RolloutPlan.Roll roll) {
      for (String pod : roll.pods()) {
        client.pods().inNamespace(ns).withName(pod).delete();
      }
    }
  }

  private boolean isManaged(DaemonSet set) {
    return set.getSpec().getUpdateStrategy() != null
        && "OnDelete".equals(set.getSpec().getUpdateStrategy().getType())
        && config.getAgentImage().equals(agentContainer(set).getImage());
  }

  private Container agentContainer(DaemonSet set) {
    return set.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(config.getAgentContainer()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "DaemonSet "
                        + set.getMetadata().getName()
                        + " has no container "
                        + config.getAgentContainer()));
  }
}
