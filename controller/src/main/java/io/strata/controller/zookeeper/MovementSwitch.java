package io.strata.controller.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The operator's pause switch, in ZooKeeper at {@link ZkPaths#MOVEMENT}: a set of paused dataset
 * names, {@code *} for all. Pausing holds back voluntary movement (transitions, drains,
 * rebalancing, ingest); repairs of missing copies go on, since holding them would risk data.
 */
public final class MovementSwitch {
  /** Pauses every dataset. */
  public static final String ALL = "*";

  /**
   * Pauses the live balancer alone. Not a bucket name (S3 allows no {@code @} in one), so it cannot
   * be taken for a dataset.
   */
  public static final String BALANCER = "@balancer";

  private final CuratorFramework curator;

  public MovementSwitch(CuratorFramework curator) {
    this.curator = curator;
  }

  /** The paused datasets; {@code *} when all movement is paused. */
  public Set<String> paused() {
    try {
      String text = new String(curator.getData().forPath(ZkPaths.MOVEMENT), StandardCharsets.UTF_8);
      Set<String> out = new TreeSet<>();
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          out.add(line.trim());
        }
      }
      return out;
    } catch (KeeperException.NoNodeException e) {
      return Set.of();
    } catch (Exception e) {
      // Cannot read the switch: act as if paused, the safe side for voluntary movement.
      return Set.of(ALL);
    }
  }

  /** Pauses ({@code true}) or resumes a dataset, or all with {@code *}. Idempotent. */
  public synchronized Set<String> set(String dataset, boolean pause) throws Exception {
    Set<String> next = new TreeSet<>(paused());
    if (pause) {
      next.add(dataset);
    } else {
      next.remove(dataset);
    }
    byte[] data = String.join("\n", next).getBytes(StandardCharsets.UTF_8);
    curator.create().orSetData().creatingParentsIfNeeded().forPath(ZkPaths.MOVEMENT, data);
    return next;
  }
}
