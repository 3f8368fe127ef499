package io.strata.controller.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.controller.zookeeper.ZkPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
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
 * Whether every controller replica admits the same people and tokens. Each replica reads its own
 * users and tokens files, which operators must keep the same everywhere; a token revoked on one
 * replica but not on another still opens the other. So each replica publishes what its files grant
 * ({@link Identities#usersDigest}, {@link Identities#tokensDigest}) in an ephemeral znode under
 * {@link ZkPaths#IDENTITIES}, follows the others', and says, in the API, in a metric and in its
 * log, which replicas differ from it.
 *
 * <p>It also looks at the files every {@link IdentityFiles#CHECK_EVERY}, so a replica that serves
 * no request still takes an edit, and publishes the change.
 *
 * <p>Thread-safe. Started and stopped once.
 */
public final class IdentityAgreement implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityAgreement.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What one replica's files grant, as published.
   *
   * @param replica the replica's id
   * @param users {@link Identities#usersDigest} of the users in force there
   * @param tokens {@link Identities#tokensDigest} of the tokens in force there
   */
  public record Published(
      @JsonProperty("replica") String replica,
      @JsonProperty("users") String users,
      @JsonProperty("tokens") String tokens) {

    boolean sameFilesAs(Published other) {
      return users.equals(other.users) && tokens.equals(other.tokens);
    }
  }

  private final CuratorFramework curator;
  private final String replicaId;
  private final Supplier<Identities> identities;
  private ScheduledExecutorService ticks;
  private PersistentNode node;
  private CuratorCache cache;
  private Published published;
  private List<String> differingLogged = List.of();

  public IdentityAgreement(
      CuratorFramework curator, String replicaId, Supplier<Identities> identities) {
    this.curator = curator;
    this.replicaId = replicaId;
    this.identities = identities;
  }

  @Override
  public synchronized void start() {
    published = current();
    node =
        new PersistentNode(
            curator, CreateMode.EPHEMERAL, false, ZkPaths.identities(replicaId), bytes(published));
    node.start();
    cache = CuratorCache.build(curator, ZkPaths.IDENTITIES);
    cache.start();
    ticks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "identity-agreement");
              t.setDaemon(true);
              return t;
            });
    long every = IdentityFiles.CHECK_EVERY.toMillis();
    ticks.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
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

  /** Every replica that publishes, this one included, by id. */
  public List<Published> replicas() {
    List<Published> all = new ArrayList<>();
    if (cache != null) {
      cache.stream()
          .filter(c -> !c.getPath().equals(ZkPaths.IDENTITIES))
          .map(IdentityAgreement::read)
          .filter(Objects::nonNull)
          .forEach(all::add);
    }
    if (all.stream().noneMatch(p -> p.replica().equals(replicaId))) {
      all.add(current());
    }
    all.sort(Comparator.comparing(Published::replica));
    return all;
  }

  /** What this replica's files grant now (published within a tick). */
  public Published current() {
    Identities now = identities.get();
    return new Published(replicaId, now.usersDigest(), now.tokensDigest());
  }

  /** The other replicas whose files grant something else than this one's, by id. */
  public List<String> differing() {
    Published mine = current();
    return replicas().stream()
        .filter(p -> !p.replica().equals(replicaId) && !p.sameFilesAs(mine))
        .map(Published::replica)
        .toList();
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
      List<String> differing = differing();
      if (!differing.equals(differingLogged)) {
        if (differing.isEmpty()) {
          LOG.info("the users and tokens files grant the same on every replica again");
        } else {
          LOG.warn(
              "the users and tokens files of replica(s) {} grant other users or tokens than this"
                  + " replica's (users {}, tokens {}): a token revoked on one replica may still"
                  + " open another; make the files the same on every replica",
              differing,
              now.users().substring(0, 12),
              now.tokens().substring(0, 12));
        }
        differingLogged = differing;
      }
    } catch (Exception e) {
      // ZooKeeper away, or interrupted on stop: the next tick tries again.
      LOG.debug("identity agreement: {}", e.toString());
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
      LOG.warn("unreadable identity record at {}: {}", child.getPath(), e.getMessage());
      return null;
    }
  }
}
