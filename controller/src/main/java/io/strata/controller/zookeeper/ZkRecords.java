package io.strata.controller.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small JSON records in ZooKeeper, one node each under a path, each written once and never changed
 * (recalls, approved expiries, legal holds). What was read is kept in memory and read again only
 * when the path's children change: one {@code exists} per call in the steady state, whatever the
 * number of records. A record that does not read is left out, with a warning. Thread-safe.
 */
final class ZkRecords<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ZkRecords.class);

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final String path;
  private final Class<T> type;
  private final Map<String, T> known = new HashMap<>();
  private int childrenVersion = -1;

  ZkRecords(CuratorFramework curator, ObjectMapper json, String path, Class<T> type) {
    this.curator = curator;
    this.json = json;
    this.path = path;
    this.type = type;
  }

  /** Every record, in no order. */
  synchronized List<T> all() throws Exception {
    refresh();
    return new ArrayList<>(known.values());
  }

  /** The record named {@code id}, or null. */
  synchronized T get(String id) throws Exception {
    refresh();
    return known.get(id);
  }

  /** How many records there are. */
  synchronized int size() throws Exception {
    refresh();
    return known.size();
  }

  /** Writes a new record; fails when one of that name exists. */
  synchronized void create(String id, T record) throws Exception {
    curator
        .create()
        .creatingParentsIfNeeded()
        .forPath(path + "/" + id, json.writeValueAsBytes(record));
    known.put(id, record);
  }

  /** Deletes a record; false when there was none (another replica deleted it first). */
  synchronized boolean delete(String id) throws Exception {
    known.remove(id);
    try {
      curator.delete().forPath(path + "/" + id);
      return true;
    } catch (KeeperException.NoNodeException gone) {
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
        LOG.warn("ignoring unreadable record {}/{}: {}", path, child, e.toString());
      }
    }
    childrenVersion = stat.getCversion();
  }
}
