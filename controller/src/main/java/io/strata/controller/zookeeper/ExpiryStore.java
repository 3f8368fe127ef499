package io.strata.controller.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.fleet.expiry.Expiry;
import io.strata.fleet.expiry.LegalHold;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Approved expiries ({@link ZkPaths#EXPIRIES}), what each has destroyed so far ({@link
 * ZkPaths#EXPIRY_TALLIES}) and the legal holds ({@link ZkPaths#HOLDS}) in ZooKeeper, one small node
 * each, so that a new leader carries an expiry on and honours every hold. An expiry and a hold are
 * written once and read through {@link ZkRecords}; a tally changes with each heartbeat that reports
 * deletion tasks of the expiry, by one compare-and-set. The objects each expiry covered are counted
 * shard by shard ({@link ZkPaths#EXPIRY_COVERED}), for its certificate. Thread-safe.
 */
public final class ExpiryStore {
  /**
   * The nodes an expiry's covered objects are counted in, by shard id: 256 keep a dataset of a
   * million shards, at some 30 bytes a shard, under 150 KiB a node.
   */
  public static final int COVERED_BUCKETS = 256;

  /** Approved expiries, and legal holds, kept at most each. */
  public static final int MAX_RECORDS = 1_000;

  /** What a store of {@link #MAX_RECORDS} refuses. */
  public static final class FullException extends Exception {
    FullException(String what) {
      super("there are " + MAX_RECORDS + " " + what + " already, the most kept");
    }
  }

  /**
   * What an expiry destroyed, by pool: copies and their bytes.
   *
   * @param copies copies the agents reported deleted
   * @param bytes their bytes
   * @param byPool the same per pool
   */
  public record Tally(long copies, long bytes, Map<String, long[]> byPool) {
    public static final Tally NONE = new Tally(0, 0, Map.of());

    Tally plus(Map<String, long[]> add) {
      Map<String, long[]> pools = new TreeMap<>();
      byPool.forEach((p, v) -> pools.put(p, v.clone()));
      long addCopies = 0;
      long addBytes = 0;
      for (var e : add.entrySet()) {
        long[] v = pools.computeIfAbsent(e.getKey(), p -> new long[2]);
        v[0] += e.getValue()[0];
        v[1] += e.getValue()[1];
        addCopies += e.getValue()[0];
        addBytes += e.getValue()[1];
      }
      return new Tally(copies + addCopies, bytes + addBytes, pools);
    }
  }

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final ZkRecords<Expiry> expiries;
  private final ZkRecords<LegalHold> holds;

  public ExpiryStore(CuratorFramework curator, ObjectMapper json) {
    this.curator = curator;
    this.json = json;
    this.expiries = new ZkRecords<>(curator, json, ZkPaths.EXPIRIES, Expiry.class);
    this.holds = new ZkRecords<>(curator, json, ZkPaths.HOLDS, LegalHold.class);
  }

  /** The approved expiries not yet done, oldest first. */
  public List<Expiry> expiries() throws Exception {
    List<Expiry> out = expiries.all();
    out.sort(Comparator.comparing(Expiry::approvedAt).thenComparing(Expiry::id));
    return out;
  }

  public Optional<Expiry> expiry(String id) throws Exception {
    return expiries.all().stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /** The legal holds standing, oldest first. */
  public List<LegalHold> holds() throws Exception {
    List<LegalHold> out = holds.all();
    out.sort(Comparator.comparing(LegalHold::placedAt).thenComparing(LegalHold::id));
    return out;
  }

  /** Stores an approved expiry, with an empty tally. */
  public void approve(Expiry expiry) throws Exception {
    if (expiries.size() >= MAX_RECORDS) {
      throw new FullException("approved expiries");
    }
    expiries.create(expiry.id(), expiry);
  }

  /** Places a legal hold. */
  public void place(LegalHold hold) throws Exception {
    if (holds.size() >= MAX_RECORDS) {
      throw new FullException("legal holds");
    }
    holds.create(hold.id(), hold);
  }

  /** Lifts a legal hold; false when there is no such hold. */
  public boolean lift(String id) throws Exception {
    return holds.delete(id);
  }

  /** Ends an expiry whose certificate is written: its node, its tally and its counts go. */
  public void done(String id) throws Exception {
    expiries.delete(id);
    try {
      curator.delete().forPath(ZkPaths.EXPIRY_TALLIES + "/" + id);
    } catch (KeeperException.NoNodeException gone) {
      // Nothing was deleted under it, or another replica ended it first.
    }
    try {
      curator.delete().deletingChildrenIfNeeded().forPath(ZkPaths.EXPIRY_COVERED + "/" + id);
    } catch (KeeperException.NoNodeException gone) {
      // Nothing was covered, or another replica ended it first.
    }
  }

  /**
   * Per shard counted so far, the objects the expiry covered in it when the shard was first planned
   * with it.
   */
  public Map<String, Long> covered(String id) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    String parent = ZkPaths.EXPIRY_COVERED + "/" + id;
    List<String> children;
    try {
      children = curator.getChildren().forPath(parent);
    } catch (KeeperException.NoNodeException none) {
      return out;
    }
    for (String child : children) {
      try {
        out.putAll(readCovered(curator.getData().forPath(parent + "/" + child)));
      } catch (KeeperException.NoNodeException gone) {
        // Ended meanwhile.
      }
    }
    return out;
  }

  /**
   * Counts the objects the expiry covers in a shard, the first time the shard is planned with it
   * (before any of them is deleted), by compare-and-set; a shard counted already keeps its count,
   * so that planning it again, on this leader or the next, counts nothing twice.
   *
   * @return false when the shard was counted already
   */
  public boolean countCovered(String id, String shardId, long objects) throws Exception {
    String path = ZkPaths.expiryCovered(id, Math.floorMod(shardId.hashCode(), COVERED_BUCKETS));
    for (int attempt = 0; attempt < 10; attempt++) {
      Stat stat = new Stat();
      Map<String, Long> now;
      try {
        now = readCovered(curator.getData().storingStatIn(stat).forPath(path));
      } catch (KeeperException.NoNodeException none) {
        try {
          curator
              .create()
              .creatingParentsIfNeeded()
              .forPath(path, json.writeValueAsBytes(Map.of(shardId, objects)));
          return true;
        } catch (KeeperException.NodeExistsException raced) {
          continue;
        }
      }
      if (now.containsKey(shardId)) {
        return false;
      }
      now.put(shardId, objects);
      try {
        curator.setData().withVersion(stat.getVersion()).forPath(path, json.writeValueAsBytes(now));
        return true;
      } catch (KeeperException.BadVersionException raced) {
        // Another replica's write in between: read again.
      }
    }
    throw new IllegalStateException("the counts of expiry " + id + " kept changing under us");
  }

  private Map<String, Long> readCovered(byte[] data) throws java.io.IOException {
    Map<String, Long> out = new TreeMap<>();
    if (data != null && data.length > 0) {
      json.readTree(data)
          .fields()
          .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    }
    return out;
  }

  /** What the expiry has destroyed so far. */
  public Tally tally(String id) throws Exception {
    try {
      return json.readValue(
          curator.getData().forPath(ZkPaths.EXPIRY_TALLIES + "/" + id), Tally.class);
    } catch (KeeperException.NoNodeException none) {
      return Tally.NONE;
    }
  }

  /** Adds copies an agent reported deleted under the expiry, by compare-and-set. */
  public void count(String id, String pool, long copies, long bytes) throws Exception {
    count(id, Map.of(pool, new long[] {copies, bytes}));
  }

  /**
   * Adds copies the agents reported deleted under the expiry, per pool copies and bytes, by one
   * compare-and-set: a heartbeat's deletions are written at once.
   */
  public void count(String id, Map<String, long[]> byPool) throws Exception {
    if (byPool.values().stream().allMatch(v -> v[0] == 0)) {
      return;
    }
    String path = ZkPaths.EXPIRY_TALLIES + "/" + id;
    for (int attempt = 0; attempt < 10; attempt++) {
      Stat stat = new Stat();
      Tally now;
      try {
        now = json.readValue(curator.getData().storingStatIn(stat).forPath(path), Tally.class);
      } catch (KeeperException.NoNodeException none) {
        try {
          curator
              .create()
              .creatingParentsIfNeeded()
              .forPath(path, json.writeValueAsBytes(Tally.NONE.plus(byPool)));
          return;
        } catch (KeeperException.NodeExistsException raced) {
          continue;
        }
      }
      try {
        curator
            .setData()
            .withVersion(stat.getVersion())
            .forPath(path, json.writeValueAsBytes(now.plus(byPool)));
        return;
      } catch (KeeperException.BadVersionException raced) {
        // Another replica's write in between: read again.
      }
    }
    throw new IllegalStateException("the tally of expiry " + id + " kept changing under us");
  }
}
