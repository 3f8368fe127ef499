package io.strata.controller.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.fleet.expiry.Expiry;
import io.strata.fleet.expiry.LegalHold;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approved expiries ({@link ZkPaths#EXPIRIES}), what each has destroyed so far ({@link
 * ZkPaths#EXPIRY_TALLIES}) and the legal holds ({@link ZkPaths#HOLDS}) in ZooKeeper, one small node
 * each, so that a new leader carries an expiry on and honours every hold. An expiry and a hold are
 * written once; a tally changes with each deletion task the agents report, by compare-and-set. What
 * was read is kept in memory and read again only when a path's children change: one {@code exists}
 * per path and call in the steady state. Thread-safe.
 */
public final class ExpiryStore {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryStore.class);

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

    Tally plus(String pool, long addCopies, long addBytes) {
      Map<String, long[]> pools = new TreeMap<>();
      byPool.forEach((p, v) -> pools.put(p, v.clone()));
      long[] v = pools.computeIfAbsent(pool, p -> new long[2]);
      v[0] += addCopies;
      v[1] += addBytes;
      return new Tally(copies + addCopies, bytes + addBytes, pools);
    }
  }

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final Records<Expiry> expiries;
  private final Records<LegalHold> holds;

  public ExpiryStore(CuratorFramework curator, ObjectMapper json) {
    this.curator = curator;
    this.json = json;
    this.expiries = new Records<>(ZkPaths.EXPIRIES, Expiry.class);
    this.holds = new Records<>(ZkPaths.HOLDS, LegalHold.class);
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
    expiries.add(expiry.id(), expiry, "approved expiries");
  }

  /** Places a legal hold. */
  public void place(LegalHold hold) throws Exception {
    holds.add(hold.id(), hold, "legal holds");
  }

  /** Lifts a legal hold; false when there is no such hold. */
  public boolean lift(String id) throws Exception {
    return holds.delete(id);
  }

  /** Ends an expiry whose certificate is written: its node and its tally go. */
  public void done(String id) throws Exception {
    expiries.delete(id);
    try {
      curator.delete().forPath(ZkPaths.EXPIRY_TALLIES + "/" + id);
    } catch (KeeperException.NoNodeException gone) {
      // Nothing was deleted under it, or another replica ended it first.
    }
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
    if (copies == 0) {
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
              .forPath(path, json.writeValueAsBytes(Tally.NONE.plus(pool, copies, bytes)));
          return;
        } catch (KeeperException.NodeExistsException raced) {
          continue;
        }
      }
      try {
        curator
            .setData()
            .withVersion(stat.getVersion())
            .forPath(path, json.writeValueAsBytes(now.plus(pool, copies, bytes)));
        return;
      } catch (KeeperException.BadVersionException raced) {
        // Another replica's write in between: read again.
      }
    }
    throw new IllegalStateException("the tally of expiry " + id + " kept changing under us");
  }

  /** JSON records, one node each, under a path: cached, read again when its children change. */
  private final class Records<T> {
    private final String path;
    private final Class<T> type;
    private final Map<String, T> known = new HashMap<>();
    private int childrenVersion = -1;

    Records(String path, Class<T> type) {
      this.path = path;
      this.type = type;
    }

    synchronized List<T> all() throws Exception {
      refresh();
      return new ArrayList<>(known.values());
    }

    synchronized void add(String id, T record, String what) throws Exception {
      refresh();
      if (known.size() >= MAX_RECORDS) {
        throw new FullException(what);
      }
      curator
          .create()
          .creatingParentsIfNeeded()
          .forPath(path + "/" + id, json.writeValueAsBytes(record));
      known.put(id, record);
    }

    synchronized boolean delete(String id) throws Exception {
      try {
        curator.delete().forPath(path + "/" + id);
        known.remove(id);
        return true;
      } catch (KeeperException.NoNodeException gone) {
        known.remove(id);
        return false;
      }
    }

    private void refresh() throws Exception {
      Stat stat = curator.checkExists().forPath(path);
      if (stat == null) {
        known.clear();
        childrenVersion = -1;
        return;
      }
      if (stat.getCversion() == childrenVersion) {
        return;
      }
      List<String> children = curator.getChildren().forPath(path);
      known.keySet().retainAll(children);
      for (String child : children) {
        if (known.containsKey(child)) {
          continue; // Written once, never changed.
        }
        try {
          known.put(child, json.readValue(curator.getData().forPath(path + "/" + child), type));
        } catch (KeeperException.NoNodeException gone) {
          // Deleted since the listing.
        } catch (Exception e) {
          LOG.warn("ignoring unreadable {}{}: {}", path, "/" + child, e.toString());
        }
      }
      childrenVersion = stat.getCversion();
    }
  }
}
