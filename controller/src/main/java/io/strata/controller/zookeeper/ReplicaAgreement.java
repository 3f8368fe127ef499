package io.strata.controller.zookeeper;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.controller.files.WatchedFiles;
import io.strata.controller.security.Identities;
import io.strata.runtime.DaemonScheduler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the controller replicas run by the same files. Each replica reads its own, which
 * operators must keep the same everywhere:
 *
 * <ul>
 *   <li>the users and tokens files: a token revoked on one replica but not on another still opens
 *       the other;
 *   <li>the storage policies, datasets and reconcile settings: only the leader's count, so a
 *       replica that has older ones plans by them from the moment it leads (a shorter retention, a
 *       placement the others moved away from).
 * </ul>
 *
 * So each replica publishes digests of both ({@link Identities#usersDigest}, {@link
 * Identities#tokensDigest}, and the digest of its policies it is given) in an ephemeral znode under
 * {@link ZkPaths#REPLICAS}, follows the others', and says, in the API, in metrics and in its log,
 * which replicas differ from it.
 *
 * <p>A change to the users or tokens files, or to the policy files, is published within a tick
 * ({@link WatchedFiles#CHECK_EVERY}) of being taken.
 *
 * <p>Thread-safe. Started and stopped once.
 */
public final class ReplicaAgreement implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaAgreement.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TICK_MILLIS = WatchedFiles.CHECK_EVERY.toMillis();

  /**
   * What one replica runs by, as published.
   *
   * @param replica the replica's id
   * @param users {@link Identities#usersDigest} of the users in force there
   * @param tokens {@link Identities#tokensDigest} of the tokens in force there
   * @param policies the digest of its storage policies, datasets and reconcile settings
   */
  public record Published(
      @JsonProperty("replica") String replica,
      @JsonProperty("users") String users,
      @JsonProperty("tokens") String tokens,
      @JsonProperty("policies") String policies) {

    boolean sameIdentityFilesAs(Published other) {
      return users.equals(other.users) && tokens.equals(other.tokens);
    }

    boolean samePoliciesAs(Published other) {
      return Objects.equals(policies, other.policies);
    }
  }

  /** What differs, by kind: the other replicas whose files differ from this one's, by id. */
  public record Differing(List<String> identityFiles, List<String> policies) {}

  /**
   * The replicas as this one sees them now.
   *
   * @param self this replica's id
   * @param replicas every replica that publishes, this one included, by id
   * @param differing the others that run by other files than this one
   */
  public record View(String self, List<Published> replicas, Differing differing) {}

  private final CuratorFramework curator;
  private final String replicaId;
  private final Supplier<Identities> identities;
  private final Supplier<String> policies;
  private ScheduledExecutorService ticks;
  private PersistentNode node;
  private CuratorCache cache;
  private Published published;
  private Differing logged = new Differing(List.of(), List.of());

  /**
   * @param policies the digest of this replica's storage policies, datasets and reconcile settings
   *     in force ({@code PolicyFiles#digest})
   */
  public ReplicaAgreement(
      CuratorFramework curator,
      String replicaId,
      Supplier<Identities> identities,
      Supplier<String> policies) {
    this.curator = curator;
    this.replicaId = replicaId;
    this.identities = identities;
    this.policies = policies;
  }

  @Override
  public synchronized void start() {
    published = current();
    node =
        new PersistentNode(
            curator, CreateMode.EPHEMERAL, false, ZkPaths.replica(replicaId), bytes(published));
    node.start();
    cache = CuratorCache.build(curator, ZkPaths.REPLICAS);
    cache.start();
    ticks = DaemonScheduler.named("replica-agreement");
    ticks.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() throws IOException {
    if (ticks != null) {
      ticks.shutdownNow();
    }
    if (cache != null) {
      cache.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /**
   * The replicas and what differs. A replica that publishes no policy digest (an older version,
   * during an upgrade) is not counted as differing in its policies.
   */
  public View view() {
    Published mine = current();
    List<Published> all = new ArrayList<>(List.of(mine));
    if (cache != null) {
      cache.stream()
          .filter(c -> !c.getPath().equals(ZkPaths.REPLICAS))
          .map(ReplicaAgreement::read)
          .filter(p -> p != null && !p.replica().equals(replicaId))
          .forEach(all::add);
    }
    all.sort(Comparator.comparing(Published::replica));
    List<String> identityFiles = new ArrayList<>();
    List<String> policyFiles = new ArrayList<>();
    for (Published other : all) {
      if (other.replica().equals(replicaId)) {
        continue;
      }
      if (!other.sameIdentityFilesAs(mine)) {
        identityFiles.add(other.replica());
      }
      if (other.policies() != null && !other.samePoliciesAs(mine)) {
        policyFiles.add(other.replica());
      }
    }
    return new View(
        replicaId,
        List.copyOf(all),
        new Differing(List.copyOf(identityFiles), List.copyOf(policyFiles)));
  }

  /** What this replica runs by now (published within a tick). */
  private Published current() {
    Identities now = identities.get();
    return new Published(replicaId, now.usersDigest(), now.tokensDigest(), policies.get());
  }

  private synchronized void tick() {
    try {
      Published now = current();
      if (!now.equals(published)) {
        // Taken as published once written: a write that fails (ZooKeeper away, the node not
        // created yet) is tried again at the next tick.
        node.setData(bytes(now));
        published = now;
      }
      Differing differing = view().differing();
      if (!differing.identityFiles().equals(logged.identityFiles())) {
        if (differing.identityFiles().isEmpty()) {
          LOG.info("the users and tokens files grant the same on every replica again");
        } else {
          LOG.warn(
              "the users and tokens files of replica(s) {} grant other users or tokens than this"
                  + " replica's (users {}, tokens {}): a token revoked on one replica may still"
                  + " open another; make the files the same on every replica",
              differing.identityFiles(),
              now.users().substring(0, 12),
              now.tokens().substring(0, 12));
        }
      }
      if (!differing.policies().equals(logged.policies())) {
        if (differing.policies().isEmpty()) {
          LOG.info(
              "every replica runs by the same policies, datasets and reconcile settings again");
        } else {
          LOG.warn(
              "replica(s) {} run by other storage policies, datasets or reconcile settings than"
                  + " this replica ({}): whichever leads plans by its own; make them the same on"
                  + " every replica",
              differing.policies(),
              now.policies().substring(0, 12));
        }
      }
      logged = differing;
    } catch (Exception e) {
      // ZooKeeper away, or interrupted on stop: the next tick tries again.
      LOG.debug("replica agreement: {}", e.toString());
    }
  }

  private static byte[] bytes(Published published) {
    try {
      return JSON.writeValueAsBytes(published);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Published read(ChildData child) {
    try {
      return child.getData() == null ? null : JSON.readValue(child.getData(), Published.class);
    } catch (IOException e) {
      LOG.warn("unreadable replica record at {}: {}", child.getPath(), e.getMessage());
      return null;
    }
  }
}
