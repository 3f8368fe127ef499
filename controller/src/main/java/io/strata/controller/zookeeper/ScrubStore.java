package io.strata.controller.zookeeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.fleet.reconcile.Scrubs;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scrub records in ZooKeeper under {@link ZkPaths#SCRUBS}, one node per shard and pool. Only
 * the leader writes, and every write carries the leadership fence. A record names at most the 1,000
 * keys one scrub result names, well inside a znode.
 */
public final class ScrubStore implements Scrubs.Journal {
  private static final Logger LOG = LoggerFactory.getLogger(ScrubStore.class);

  private final CuratorFramework curator;
  private final Leadership leadership;
  private final ObjectMapper json;

  public ScrubStore(CuratorFramework curator, Leadership leadership, ObjectMapper json) {
    this.curator = curator;
    this.leadership = leadership;
    this.json = json;
  }

  @Override
  public List<Scrubs.Record> load() throws Exception {
    if (curator.checkExists().forPath(ZkPaths.SCRUBS) == null) {
      curator.create().creatingParentsIfNeeded().forPath(ZkPaths.SCRUBS);
    }
    List<Scrubs.Record> out = new ArrayList<>();
    for (String child : curator.getChildren().forPath(ZkPaths.SCRUBS)) {
      try {
        out.add(
            json.readValue(
                curator.getData().forPath(ZkPaths.SCRUBS + "/" + child), Scrubs.Record.class));
      } catch (KeeperException.NoNodeException gone) {
        // Deleted since the listing: a split shard.
      } catch (Exception e) {
        // Its pool is scrubbed again on schedule, and what it finds is recorded afresh.
        LOG.warn("ignoring unreadable scrub record {}: {}", child, e.toString());
      }
    }
    return out;
  }

  @Override
  public void write(Scrubs.Record record) throws Exception {
    Znodes.write(
        curator,
        leadership.fenceCheck(),
        ZkPaths.scrub(record.shard(), record.pool()),
        json.writeValueAsBytes(record));
  }

  @Override
  public void delete(String shard, String pool) throws Exception {
    try {
      curator
          .transaction()
          .forOperations(
              leadership.fenceCheck(),
              curator.transactionOp().delete().forPath(ZkPaths.scrub(shard, pool)));
    } catch (KeeperException.NoNodeException gone) {
      // Never written, or deleted already.
    }
  }
}
