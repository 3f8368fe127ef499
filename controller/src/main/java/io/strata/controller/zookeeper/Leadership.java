package io.strata.controller.zookeeper;

import io.dropwizard.lifecycle.Managed;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among controller replicas, with a fencing epoch.
 *
 * <p>Every replica competes through a Curator {@link LeaderSelector}. A replica that wins bumps the
 * counter at {@link ZkPaths#LEADER_EPOCH} with a compare-and-set and remembers the znode version it
 * wrote. Writes that only the leader may make carry {@link #fenceCheck()} in the same ZooKeeper
 * transaction: once a newer leader has bumped the epoch, a deposed leader's writes fail instead of
 * interleaving with the new leader's. Losing the ZooKeeper session cancels leadership (Curator's
 * adapter interrupts {@code takeLeadership}).
 *
 * <p>Thread-safe. Must be started once and eventually stopped.
 */
public final class Leadership implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** Lifecycle of this object. */
  public enum State {
    LATENT,
    STARTED,
    CLOSED
  }

  /** A term of leadership: the epoch and the version of the epoch znode that fences it. */
  public record Term(long epoch, int znodeVersion) {}

  private final CuratorFramework curator;
  private final String replicaId;
  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final AtomicReference<Term> term = new AtomicReference<>();
  private volatile LeaderSelector selector;
  private volatile String url;

  public Leadership(CuratorFramework curator, String replicaId) {
    this.curator = curator;
    this.replicaId = replicaId;
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("leadership of " + replicaId + " cannot be started twice");
    }
    selector =
        new LeaderSelector(
            curator,
            ZkPaths.LEADER_LATCH,
            new LeaderSelectorListenerAdapter() {
              @Override
              public void takeLeadership(CuratorFramework client) throws Exception {
                lead();
              }
            });
    selector.setId(replicaId);
    selector.autoRequeue();
    selector.start();
  }

  @Override
  public void stop() {
    if (state.compareAndSet(State.STARTED, State.CLOSED) && selector != null) {
      selector.close();
    }
    term.set(null);
  }

  private void lead() throws Exception {
    Term won = bumpEpoch();
    term.set(won);
    LOG.info("replica {} is the leader, epoch {}", replicaId, won.epoch());
    try {
      publish();
      // Hold leadership until interrupted: by stop(), or by a lost or suspended session.
      new CountDownLatch(1).await();
    } finally {
      term.set(null);
      LOG.info("replica {} is no longer the leader (epoch {})", replicaId, won.epoch());
    }
  }

  private Term bumpEpoch() throws Exception {
    while (true) {
      Stat stat = new Stat();
      try {
        byte[] data = curator.getData().storingStatIn(stat).forPath(ZkPaths.LEADER_EPOCH);
        long next = Long.parseLong(new String(data, StandardCharsets.UTF_8)) + 1;
        Stat written =
            curator
                .setData()
                .withVersion(stat.getVersion())
                .forPath(
                    ZkPaths.LEADER_EPOCH, Long.toString(next).getBytes(StandardCharsets.UTF_8));
        return new Term(next, written.getVersion());
      } catch (KeeperException.NoNodeException e) {
        try {
          curator
              .create()
              .creatingParentsIfNeeded()
              .withMode(CreateMode.PERSISTENT)
              .forPath(ZkPaths.LEADER_EPOCH, "0".getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException raced) {
          // Another replica created it first; read it again.
        }
      } catch (KeeperException.BadVersionException raced) {
        // Another replica bumped it between our read and write; read it again.
      }
    }
  }

  /**
   * Sets where this replica serves, once its server knows its port; followers point agents there
   * while this replica leads.
   */
  public void setUrl(String url) {
    this.url = url;
    if (isLeader()) {
      try {
        publish();
      } catch (Exception e) {
        LOG.warn("could not publish the leader's URL: {}", e.toString());
      }
    }
  }

  private void publish() throws Exception {
    String info = replicaId + "\n" + (url == null ? "" : url);
    curator
        .create()
        .orSetData()
        .creatingParentsIfNeeded()
        .forPath(ZkPaths.LEADER_INFO, info.getBytes(StandardCharsets.UTF_8));
  }

  /** The URL the current leader published, or null when unknown. */
  public String currentLeaderUrl() {
    try {
      String[] info =
          new String(curator.getData().forPath(ZkPaths.LEADER_INFO), StandardCharsets.UTF_8)
              .split("\n", 2);
      return info.length < 2 || info[1].isBlank() ? null : info[1];
    } catch (Exception e) {
      return null;
    }
  }

  /** True while this replica leads. */
  public boolean isLeader() {
    return term.get() != null;
  }

  /** The current term while leading; null otherwise. */
  public Term term() {
    return term.get();
  }

  public String replicaId() {
    return replicaId;
  }

  public State state() {
    return state.get();
  }

  /**
   * An operation to put in every leader-only ZooKeeper transaction: it fails the transaction when a
   * newer leader has bumped the epoch since this replica won.
   *
   * @throws IllegalStateException when this replica is not the leader
   */
  public CuratorOp fenceCheck() throws Exception {
    Term current = term.get();
    if (current == null) {
      throw new IllegalStateException("replica " + replicaId + " is not the leader");
    }
    return curator
        .transactionOp()
        .check()
        .withVersion(current.znodeVersion())
        .forPath(ZkPaths.LEADER_EPOCH);
  }

  /** The id of the current leader as recorded in ZooKeeper, or null when unknown. */
  public String currentLeaderId() {
    try {
      return selector == null ? null : selector.getLeader().getId();
    } catch (Exception e) {
      return null;
    }
  }
}
