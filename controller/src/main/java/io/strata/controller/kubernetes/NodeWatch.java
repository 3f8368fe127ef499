package io.strata.controller.kubernetes;

import io.dropwizard.lifecycle.Managed;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.strata.controller.http.OperatorResource;
import io.strata.controller.reconcile.NodeConditions;
import io.strata.controller.zookeeper.ClusterMapStore;
import io.strata.policy.evaluate.PolicySet;
import io.strata.runtime.DaemonScheduler;
import io.strata.topology.ClusterMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage nodes as Kubernetes sees them, followed with a Fabric8 informer on every replica.
 * While its replica leads, every {@code syncInterval} it makes the cluster map's failure-domain
 * tree what the nodes' labels say ({@link NodeTopology}) through {@link ClusterMapStore#update},
 * refusing a tree that would leave a storage policy unplaceable as the operator API does; a change
 * of labels is a new epoch, and a tree equal to the map's changes nothing. It also tells the
 * reconciler which nodes are {@code NotReady} past {@code nodeGrace} ({@link NodeConditions}).
 *
 * <p>An API server it cannot reach, or that refuses it, is logged and shown by {@link #status()}
 * (and so by the {@code kubernetes} health check); the informer keeps retrying, and the map stays
 * as it was. Thread-safe; must be started and stopped once.
 */
public final class NodeWatch implements Managed, NodeConditions {
  private static final Logger LOG = LoggerFactory.getLogger(NodeWatch.class);

  /**
   * How the nodes stand, for the health check.
   *
   * @param synced whether the informer has listed the nodes at least once
   * @param error the last error of the API, while it lasts; null when none
   * @param nodes the storage nodes known
   * @param problems nodes whose labels could not be used, or why the last tree was refused; empty
   *     on followers, which do not apply trees
   * @param epoch the map epoch the last tree was applied at (0 before one was)
   */
  public record Status(
      boolean synced, String error, int nodes, List<String> problems, long epoch) {}

  private final KubernetesClient client;
  private final KubernetesFactory config;
  private final NodeLabels labels;
  private final ClusterMapStore maps;
  private final Supplier<PolicySet> policies;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final Duration grace;
  private final Map<String, Instant> cordonedSince = new ConcurrentHashMap<>();
  private volatile Map<String, NodeFacts> facts = Map.of();
  private volatile String error;
  private volatile List<String> problems = List.of();
  private volatile long appliedEpoch;
  private SharedIndexInformer<Node> informer;
  private ScheduledExecutorService scheduler;

  /**
   * @param leading whether this replica leads; only the leader changes the map
   */
  public NodeWatch(
      KubernetesClient client,
      KubernetesFactory config,
      ClusterMapStore maps,
      Supplier<PolicySet> policies,
      BooleanSupplier leading,
      Clock clock) {
    this.client = client;
    this.config = config;
    this.labels = config.labels();
    this.maps = maps;
    this.policies = policies;
    this.leading = leading;
    this.clock = clock;
    this.grace = config.getNodeGrace().toJavaDuration();
  }

  /** Starts the informer without waiting for it: an API server away must not stop the start. */
  @Override
  public synchronized void start() {
    informer =
        client.nodes().withLabel(labels.storageKey(), labels.storageValue()).runnableInformer(0);
    informer.exceptionHandler(
        (started, t) -> {
          String now = KubernetesErrors.describe("list and watch nodes", server(), t);
          if (!now.equals(error)) {
            LOG.error("{}; the cluster map stays as it is, retrying", now);
          }
          error = now;
          return true;
        });
    informer.start();
    scheduler = DaemonScheduler.named("kubernetes-nodes");
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
    if (informer != null) {
      informer.stop();
      informer = null;
    }
  }

  private String server() {
    return client.getMasterUrl().toString();
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (Exception e) {
      LOG.warn("cannot compare the nodes with the cluster map, next time again: {}", e.toString());
    }
  }

  /**
   * One comparison: reads the nodes the informer holds and, on the leader, makes the map's tree
   * theirs. Idempotent. Does nothing until the informer has listed the nodes once.
   */
  void sync() throws Exception {
    SharedIndexInformer<Node> nodes = informer;
    if (nodes == null || !nodes.hasSynced()) {
      return;
    }
    if (nodes.isWatching()) {
      error = null;
    }
    facts = read(nodes.getStore().list());
    if (leading.getAsBoolean()) {
      applyTree();
    } else {
      problems = List.of();
    }
  }

  private Map<String, NodeFacts> read(List<Node> nodes) {
    Instant now = clock.instant();
    Map<String, NodeFacts> out = new TreeMap<>();
    Set<String> cordoned = new HashSet<>();
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      Instant since = null;
      if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
        cordoned.add(name);
        since = cordonedSince.computeIfAbsent(name, n -> now);
      }
      out.put(
          name,
          new NodeFacts(name, node.getMetadata().getLabels(), notReadySince(node, now), since));
    }
    cordonedSince.keySet().retainAll(cordoned);
    return out;
  }

  /** When the node's Ready condition left True; null while it is True. */
  private static Instant notReadySince(Node node, Instant now) {
    List<NodeCondition> conditions =
        node.getStatus() == null ? null : node.getStatus().getConditions();
    if (conditions != null) {
      for (NodeCondition c : conditions) {
        if ("Ready".equals(c.getType())) {
          if ("True".equals(c.getStatus())) {
            return null;
          }
          try {
            return c.getLastTransitionTime() == null
                ? now
                : Instant.parse(c.getLastTransitionTime());
          } catch (DateTimeParseException e) {
            return now;
          }
        }
      }
    }
    return now; // No Ready condition reported yet: not ready, from now.
  }

  private void applyTree() throws Exception {
    Set<String> drained = config.isCordonIsPlannedDrain() ? cordonedPastGrace() : null;
    Map<String, NodeFacts> nodes = facts;
    AtomicReference<List<String>> found = new AtomicReference<>(List.of());
    ClusterMap before = maps.current();
    ClusterMap now;
    try {
      now =
          maps.update(
              current -> {
                NodeTopology.Proposal proposal =
                    NodeTopology.propose(current, nodes.values(), labels, drained);
                found.set(proposal.problems());
                if (proposal.map() == null) {
                  throw new TreeRefused(List.of("the nodes' tree is not a valid cluster map"));
                }
                List<String> broken =
                    OperatorResource.newlyUnsatisfiable(policies.get(), current, proposal.map());
                if (!broken.isEmpty()) {
                  throw new TreeRefused(broken);
                }
                return proposal.map();
              });
    } catch (TreeRefused refused) {
      List<String> all = new java.util.ArrayList<>(found.get());
      all.addAll(refused.problems);
      report(
          all,
          "the nodes' labels were not applied; the cluster map stays at epoch "
              + maps.current().epoch());
      return;
    }
    if (now.epoch() != before.epoch()) {
      LOG.info("the nodes' labels changed the cluster map to epoch {}", now.epoch());
    }
    appliedEpoch = now.epoch();
    report(found.get(), "nodes kept where the cluster map has them");
  }

  private void report(List<String> found, String consequence) {
    if (!found.equals(problems) && !found.isEmpty()) {
      LOG.error("{}: {}", consequence, String.join("; ", found));
    }
    problems = List.copyOf(found);
  }

  /** A tree the map cannot take; nothing is written. */
  private static final class TreeRefused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    TreeRefused(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }
  }

  private Set<String> cordonedPastGrace() {
    Instant now = clock.instant();
    Set<String> out = new TreeSet<>();
    for (NodeFacts node : facts.values()) {
      if (node.cordonedSince() != null && !node.cordonedSince().plus(grace).isAfter(now)) {
        out.add(node.name());
      }
    }
    return out;
  }

  @Override
  public Set<String> nodesDown(Instant now) {
    Set<String> out = new HashSet<>();
    for (NodeFacts node : facts.values()) {
      if (node.notReadySince() != null && !node.notReadySince().plus(grace).isAfter(now)) {
        out.add(node.name());
      }
    }
    return out;
  }

  /** The storage nodes as last read, by name. */
  public Map<String, NodeFacts> nodes() {
    return new HashMap<>(facts);
  }

  public Status status() {
    SharedIndexInformer<Node> nodes = informer;
    return new Status(
        nodes != null && nodes.hasSynced(), error, facts.size(), problems, appliedEpoch);
  }
}
