package io.strata.controller.kubernetes;

import io.dropwizard.lifecycle.Managed;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.runtime.DaemonScheduler;
import io.strata.topology.ClusterMap;
import io.strata.topology.DomainLevel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' PodDisruptionBudgets, one per failure domain at {@code disruptionLevel}, kept by the
 * leader to follow the cluster map ({@link DisruptionPlan}): each agent pod is labelled with its
 * node's domain ({@code strata.io/rack: <id>}), each domain's budget selects its agents, and a
 * domain that holds copies of the same shards as a disrupted domain gets a budget of no pod, so
 * that Kubernetes refuses to drain it until the disruption is over. Budgets of domains no longer in
 * the map are deleted; only budgets labelled {@link #MANAGED_BY} are touched.
 *
 * <p>Idempotent: every sync makes the budgets and labels what the map says, and changes nothing
 * when they are. Errors of the API are logged and shown by {@link #error()}. Thread-safe; must be
 * started and stopped once.
 */
public final class AgentBudgets implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AgentBudgets.class);

  /** The label of the budgets this controller keeps. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String MANAGER = "strata-controller";

  /** The annotation naming the disrupted domains a blocked budget waits for. */
  public static final String WAITS_FOR = "strata.io/waits-for";

  /** Which domains hold copies of the same shards as some given domains. */
  @FunctionalInterface
  public interface SharedCopies {
    /**
     * @return for each of {@code domains}, the domains at {@code level} that hold copies of shards
     *     it holds copies of
     */
    Map<String, Set<String>> of(Set<String> domains, DomainLevel level) throws Exception;
  }

  private final KubernetesClient client;
  private final KubernetesFactory config;
  private final DomainLevel level;
  private final String label;
  private final ClusterMapStore maps;
  private final NodeWatch nodes;
  private final SharedCopies shared;
  private final BooleanSupplier leading;
  private volatile String error;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<PodDisruptionBudget> budgets;
  private ScheduledExecutorService scheduler;
  // The last sharing worked out, for the map and disruptions it was worked out for.
  private long sharingEpoch = -1;
  private Set<String> sharingFor = Set.of();
  private Map<String, Set<String>> sharing = Map.of();
  private volatile Set<String> blocked = Set.of();
  private volatile boolean kept;

  public AgentBudgets(
      KubernetesClient client,
      KubernetesFactory config,
      ClusterMapStore maps,
      NodeWatch nodes,
      SharedCopies shared,
      BooleanSupplier leading) {
    this.client = client;
    this.config = config;
    this.level = config.disruptionDomainLevel();
    this.label = DisruptionPlan.domainLabel(level);
    this.maps = maps;
    this.nodes = nodes;
    this.shared = shared;
    this.leading = leading;
  }

  @Override
  public synchronized void start() {
    String ns = config.getNamespace();
    pods = client.pods().inNamespace(ns).withLabels(config.getAgentLabels()).runnableInformer(0);
    pods.exceptionHandler((started, t) -> failed("list and watch the agent pods", t));
    budgets =
        client
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace(ns)
            .withLabel(MANAGED_BY, MANAGER)
            .runnableInformer(0);
    budgets.exceptionHandler((started, t) -> failed("list and watch poddisruptionbudgets", t));
    pods.start();
    budgets.start();
    scheduler = DaemonScheduler.named("kubernetes-budgets");
    long ms = config.getSyncInterval().toMilliseconds();
    scheduler.scheduleWithFixedDelay(this::syncQuietly, 0, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() throws InterruptedException {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
      scheduler = null;
    }
    if (pods != null) {
      pods.stop();
      budgets.stop();
    }
  }

  private boolean failed(String what, Throwable t) {
    String now = KubernetesErrors.describe(what, client.getMasterUrl().toString(), t);
    if (!now.equals(error)) {
      LOG.error("{}; the agents' budgets stay as they are, retrying", now);
    }
    error = now;
    return true;
  }

  /** Whether the budgets were made what the map says at least once. */
  public boolean kept() {
    return kept;
  }

  /** The domains whose budgets allowed no disruption at the last sync. */
  public Set<String> blocked() {
    return blocked;
  }

  /** The agent pods as last read; null until they have been listed. */
  public List<Pod> agentPods() {
    SharedIndexInformer<Pod> informer = pods;
    return informer == null || !informer.hasSynced() ? null : informer.getStore().list();
  }

  /** The last error of the API, while it lasts; null when none. */
  public String error() {
    return error;
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (Exception e) {
      failed("keep the agents' disruption budgets", e);
    }
  }

  /** One pass: labels and budgets as the current map says. Does nothing on a follower. */
  synchronized void sync() throws Exception {
    if (!leading.getAsBoolean()
        || pods == null
        || !pods.hasSynced()
        || !budgets.hasSynced()
        || !nodes.status().synced()) {
      return;
    }
    ClusterMap map = maps.current();
    Set<String> disrupted = DisruptionPlan.disrupted(map, level, nodes.nodes());
    if (map.epoch() != sharingEpoch || !disrupted.equals(sharingFor)) {
      sharing = disrupted.isEmpty() ? Map.of() : shared.of(disrupted, level);
      sharingEpoch = map.epoch();
      sharingFor = disrupted;
    }
    labelPods(map);
    List<DisruptionPlan.Budget> plan = DisruptionPlan.plan(map, level, sharing);
    keepBudgets(plan);
    blocked =
        plan.stream()
            .filter(DisruptionPlan.Budget::blocked)
            .map(DisruptionPlan.Budget::domain)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    kept = true;
    error = null;
  }

  private void labelPods(ClusterMap map) {
    for (Pod pod : pods.getStore().list()) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node == null) {
        continue;
      }
      String want = DisruptionPlan.enclosing(map, node, level).orElse(null);
      Map<String, String> has = pod.getMetadata().getLabels();
      if (Objects.equals(want, has == null ? null : has.get(label))) {
        continue;
      }
      String value = want == null ? "null" : "\"" + want + "\"";
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"labels\":{\"" + label + "\":" + value + "}}}");
    }
  }

  private void keepBudgets(List<DisruptionPlan.Budget> plan) {
    Map<String, PodDisruptionBudget> existing = new HashMap<>();
    for (PodDisruptionBudget b : budgets.getStore().list()) {
      existing.put(b.getMetadata().getName(), b);
    }
    for (DisruptionPlan.Budget b : plan) {
      PodDisruptionBudget want = desired(b);
      PodDisruptionBudget has = existing.remove(b.name());
      if (has == null) {
        client.resource(want).create();
        LOG.info("budget {} created for {} {}", b.name(), level.label(), b.domain());
      } else if (!Objects.equals(has.getSpec(), want.getSpec())
          || !Objects.equals(
              has.getMetadata().getAnnotations(), want.getMetadata().getAnnotations())) {
        want.getMetadata().setResourceVersion(has.getMetadata().getResourceVersion());
        client.resource(want).update();
        LOG.info(
            "budget {} of {} {} now {}",
            b.name(),
            level.label(),
            b.domain(),
            b.blocked() ? "blocks evictions, waiting for " + b.sharesWith() : "allows them");
      }
    }
    for (PodDisruptionBudget gone : existing.values()) {
      client.resource(gone).delete();
      LOG.info("budget {} deleted: its domain left the map", gone.getMetadata().getName());
    }
  }

  private PodDisruptionBudget desired(DisruptionPlan.Budget b) {
    Map<String, String> selector = new LinkedHashMap<>(config.getAgentLabels());
    selector.put(label, b.domain());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("strata.io/domain", b.domain());
    if (b.blocked()) {
      annotations.put(WAITS_FOR, String.join(",", b.sharesWith()));
    }
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(b.name())
        .withNamespace(config.getNamespace())
        .addToLabels(MANAGED_BY, MANAGER)
        .addToAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(b.blocked() ? new IntOrString(0) : new IntOrString("100%"))
        .withNewSelector()
        .addToMatchLabels(selector)
        .endSelector()
        .endSpec()
        .build();
  }
}
