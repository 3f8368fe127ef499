package io.strata.controller.zookeeper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.fleet.reconcile.Shard;
import io.strata.protocol.task.KeyOrder;
import io.strata.protocol.task.KeyRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard map of each dataset, kept in ZooKeeper in chunks so that no znode passes 512 KiB at a
 * million shards. Thread-safe; every replica's view is kept current by a watch on {@link
 * ZkPaths#SHARDS}.
 *
 * <p>Layout 2, per dataset:
 *
 * <ul>
 *   <li>{@code /shards/<dataset>}, the head: {@code {"layout":2,"nextShard":n,"nextChunk":m}}.
 *   <li>{@code /shards/<dataset>/c<k>}, the chunks: rows {@code [id, start, end, placementKey]}
 *       (the key null when it is the id), each chunk a run of shards adjacent in key order, split
 *       in two when a change takes it past {@link #CHUNK_TARGET_BYTES}.
 * </ul>
 *
 * <p>Every change writes the head with compare-and-set in the same ZooKeeper transaction as the
 * chunks it changes, so two replicas splitting at once cannot both win, and a reader that finds the
 * head's version moved while it read the chunks reads again: it never sees a torn map. Layout 1
 * (the whole list in the dataset's node, as Strata wrote before) is migrated by {@link #start()}.
 *
 * <p>A dataset starts as one shard over its whole key space, id {@code <dataset>:0}. Ids come from
 * the head's counter and are never reused. A split re-keys one child: the left one keeps its
 * parent's placement key (its copies stay), the right one is placed by its own id, so a dataset
 * spreads over every pool its policy allows as it grows, and the right child's copies move under
 * the misplaced cap like any voluntary movement (Ceph's {@code pgp_num} following {@code pg_num}).
 */
public final class ShardStore implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(ShardStore.class);

  /** The layout this class writes. */
  static final int LAYOUT = 2;

  /** A chunk a change takes past this many bytes is cut in two: half of the 512 KiB limit. */
  static final int CHUNK_TARGET_BYTES = 256 * 1024;

  private static final TypeReference<List<Shard>> LAYOUT_1 = new TypeReference<>() {};
  private static final TypeReference<List<List<String>>> ROWS = new TypeReference<>() {};

  private final CuratorFramework curator;
  private final ObjectMapper json;
  private final int chunkTargetBytes;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> changes = new ConcurrentHashMap<>();
  private final Map<String, Object> reading = new ConcurrentHashMap<>();
  private CuratorCache watch;

  /** The head of a dataset's map. */
  record Head(int layout, long nextShard, long nextChunk) {}

  /** One chunk as read, with the znode version it was read at. */
  private record Chunk(String name, int version, List<Shard> shards) {}

  /**
   * A dataset's map as read: its head version, chunks, and shards in key order. Lookups search the
   * ordered list rather than keep maps beside it, so that a split by this replica costs one copy of
   * the list, not a sort and two maps of every shard (a million shards: milliseconds, not seconds).
   */
  private record Cached(
      long seen, int headVersion, Head head, Map<String, Chunk> chunks, List<Shard> shards) {
    static Cached of(long seen, int headVersion, Head head, Map<String, Chunk> chunks) {
      List<Shard> shards = new ArrayList<>();
      for (Chunk c : chunks.values()) {
        shards.addAll(c.shards());
      }
      shards.sort(Comparator.comparing(s -> s.range().start(), KeyOrder.COMPARATOR));
      return new Cached(seen, headVersion, head, chunks, List.copyOf(shards));
    }

    /** The map after {@code parent} was split into {@code children}, written as {@code chunks}. */
    Cached split(Shard parent, List<Shard> children, Head head, Map<String, Chunk> chunks) {
      int at = indexOf(parent.range().start());
      List<Shard> after = new ArrayList<>(shards.size() + children.size() - 1);
      after.addAll(shards.subList(0, at));
      after.addAll(children);
      after.addAll(shards.subList(at + 1, shards.size()));
      return new Cached(seen, headVersion + 1, head, chunks, List.copyOf(after));
    }

    Cached seenAt(long changes) {
      return new Cached(changes, headVersion, head, chunks, shards);
    }

    /** The shard whose range starts at {@code start}; null when none does. */
    Shard startingAt(String start) {
      int i = indexOf(start);
      return i < 0 ? null : shards.get(i);
    }

    /** The chunk that holds the shard; null when none does. */
    String chunkOf(Shard shard) {
      String start = shard.range().start();
      for (Chunk c : chunks.values()) { // Each chunk holds a run of shards in key order.
        List<Shard> rows = c.shards();
        if (!rows.isEmpty()
            && KeyOrder.compare(rows.get(0).range().start(), start) <= 0
            && KeyOrder.compare(start, rows.get(rows.size() - 1).range().start()) <= 0
            && rows.contains(shard)) {
          return c.name();
        }
      }
      return null;
    }

    private int indexOf(String start) {
      int lo = 0;
      int hi = shards.size() - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = KeyOrder.compare(shards.get(mid).range().start(), start);
        if (c == 0) {
          return mid;
        } else if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return -1;
    }
  }

  public ShardStore(CuratorFramework curator, ObjectMapper json) {
    this(curator, json, CHUNK_TARGET_BYTES);
  }

  /** With a smaller chunk size, for tests that need many chunks without many shards. */
  ShardStore(CuratorFramework curator, ObjectMapper json, int chunkTargetBytes) {
    this.curator = curator;
    this.json = json;
    this.chunkTargetBytes = chunkTargetBytes;
  }

  /**
   * Migrates layout-1 maps to chunks, then watches the maps. A map that cannot be read is left as
   * it is and logged; reading that dataset then fails with the same message.
   */
  @Override
  public void start() throws Exception {
    curator.createContainers(ZkPaths.SHARDS);
    for (String dataset : curator.getChildren().forPath(ZkPaths.SHARDS)) {
      try {
        migrate(dataset);
      } catch (ShardMapException e) {
        LOG.error("{}", e.getMessage());
      }
    }
    watch =
        CuratorCache.builder(curator, ZkPaths.SHARDS)
            .withStorage(CuratorCacheStorage.dataNotCached())
            .build();
    watch
        .listenable()
        .addListener(
            CuratorCacheListener.builder().forAll((type, before, after) -> changed(after)).build());
    watch.start();
  }

  @Override
  public void stop() {
    if (watch != null) {
      watch.close();
    }
  }

  /** A node under {@code /shards} changed: that dataset is read again when next asked for. */
  private void changed(ChildData node) {
    if (node == null) {
      return;
    }
    String[] parts = node.getPath().substring(ZkPaths.SHARDS.length()).split("/");
    if (parts.length > 1 && !parts[1].isEmpty()) {
      changes(parts[1]).incrementAndGet();
    }
  }

  /** Splits {@code parent} in two at {@code key}; see {@link #split(Shard, List)}. */
  public List<Shard> split(Shard parent, String key) throws Exception {
    return split(parent, List.of(key));
  }

  /**
   * Splits {@code parent} at {@code keys} (ascending, inside its range, after its start) into
   * {@code keys.size() + 1} shards with new ids. The first keeps the parent's placement key, so its
   * copies stay; the others are placed by their own ids. Compare-and-set on the dataset's head: a
   * concurrent change wins and this returns the shards as they are. Idempotent: a parent that is
   * gone (split already) is left alone.
   *
   * @return the dataset's shards after the split
   */
  public List<Shard> split(Shard parent, List<String> keys) throws Exception {
    String dataset = parent.dataset();
    Cached now = cached(dataset);
    String chunkName =
        parent.equals(now.startingAt(parent.range().start())) ? now.chunkOf(parent) : null;
    if (chunkName == null || !splitsAt(parent, keys)) {
      return now.shards();
    }
    Chunk chunk = now.chunks().get(chunkName);
    long next = now.head().nextShard();
    List<Shard> children = new ArrayList<>();
    String from = parent.range().start();
    for (int i = 0; i <= keys.size(); i++) {
      String to = i < keys.size() ? keys.get(i) : parent.range().end();
      String id = dataset + ":" + (next + i);
      children.add(
          new Shard(id, dataset, new KeyRange(from, to), i == 0 ? parent.placementKey() : id));
      from = to;
    }
    List<Shard> rows = new ArrayList<>(chunk.shards().size() + keys.size());
    for (Shard s : chunk.shards()) {
      if (s.equals(parent)) {
        rows.addAll(children);
      } else {
        rows.add(s);
      }
    }
    long nextChunk = now.head().nextChunk();
    List<List<Shard>> pieces = even(rows);
    Map<String, Chunk> written = new HashMap<>(now.chunks());
    List<CuratorOp> ops = new ArrayList<>();
    Head head = new Head(LAYOUT, next + children.size(), nextChunk + pieces.size() - 1);
    ops.add(
        curator
            .transactionOp()
            .setData()
            .withVersion(now.headVersion())
            .forPath(ZkPaths.shards(dataset), json.writeValueAsBytes(head)));
    for (int i = 0; i < pieces.size(); i++) {
      String name = i == 0 ? chunkName : "c" + nextChunk++;
      byte[] data = encode(dataset, pieces.get(i));
      String path = ZkPaths.shardChunk(dataset, name);
      ops.add(
          i == 0
              ? curator.transactionOp().setData().withVersion(chunk.version()).forPath(path, data)
              : curator.transactionOp().create().forPath(path, data));
      written.put(name, new Chunk(name, i == 0 ? chunk.version() + 1 : 0, pieces.get(i)));
    }
    try {
      curator.transaction().forOperations(ops);
      Cached after = now.split(parent, children, head, written);
      cache.merge(dataset, after, (old, neu) -> old == now ? neu : old);
      return after.shards();
    } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException raced) {
      LOG.info("shard {}: another replica changed the map of {} first", parent.id(), dataset);
      return load(dataset).shards();
    }
  }

  /** Whether {@code keys} are ascending, inside the parent's range and after its start. */
  private static boolean splitsAt(Shard parent, List<String> keys) {
    String previous = parent.range().start();
    for (String key : keys) {
      if (KeyOrder.compare(key, previous) <= 0 || !parent.range().contains(key)) {
        return false;
      }
      previous = key;
    }
    return !keys.isEmpty();
  }

  /** The shards of a dataset in key order, creating its first shard when it has none. */
  public List<Shard> shards(String dataset) throws Exception {
    return cached(dataset).shards();
  }

  /** The dataset's shard over exactly {@code range}; empty once it was split. */
  public Optional<Shard> find(String dataset, KeyRange range) throws Exception {
    Shard shard = cached(dataset).startingAt(range.start());
    return shard != null && shard.range().equals(range) ? Optional.of(shard) : Optional.empty();
  }

  private Cached cached(String dataset) throws Exception {
    Cached known = cache.get(dataset);
    if (known != null && known.seen() == changes(dataset).get()) {
      return known;
    }
    // One reader at a time brings the dataset's map up to date; the others wait and take what it
    // read. Every heartbeat that carries a sweep asks for the map: at a million shards, each of
    // them reading it alone held dozens of copies of it at once and filled the leader's heap.
    synchronized (reading.computeIfAbsent(dataset, d -> new Object())) {
      long seen = changes(dataset).get();
      Cached now = cache.get(dataset);
      if (now == null) {
        return load(dataset);
      }
      if (now.seen() == seen) {
        return now;
      }
      // A node of the dataset changed; every change moves the head, so one read tells whether it
      // was this replica's own write, already in the cache.
      Stat head = curator.checkExists().forPath(ZkPaths.shards(dataset));
      if (head == null || head.getVersion() != now.headVersion()) {
        return load(dataset);
      }
      Cached current = now.seenAt(seen);
      cache.merge(dataset, current, (old, neu) -> old == now ? neu : old);
      return current;
    }
  }

  private AtomicLong changes(String dataset) {
    return changes.computeIfAbsent(dataset, d -> new AtomicLong());
  }

  /**
   * Reads a dataset's map: the head, every chunk (reusing those whose version did not move), and
   * the head again; if the head moved meanwhile, again. Creates the map when there is none.
   */
  private Cached load(String dataset) throws Exception {
    String headPath = ZkPaths.shards(dataset);
    while (true) {
      long seen = changes(dataset).get();
      Stat headStat = new Stat();
      byte[] headBytes;
      try {
        headBytes = curator.getData().storingStatIn(headStat).forPath(headPath);
      } catch (KeeperException.NoNodeException e) {
        create(dataset);
        continue;
      }
      if (isLayout1(headBytes)) {
        migrate(dataset);
        continue;
      }
      Head head = readHead(dataset, headBytes);
      Cached previous = cache.get(dataset); // Chunks whose version did not move are reused.
      Map<String, Chunk> chunks = new HashMap<>();
      for (String name : curator.getChildren().forPath(headPath)) {
        String path = ZkPaths.shardChunk(dataset, name);
        Chunk known = previous == null ? null : previous.chunks().get(name);
        Stat stat = curator.checkExists().forPath(path);
        if (stat == null) {
          continue; // Gone since the listing: the head check below reads again.
        }
        if (known != null && known.version() == stat.getVersion()) {
          chunks.put(name, known);
          continue;
        }
        Stat read = new Stat();
        byte[] data;
        try {
          data = curator.getData().storingStatIn(read).forPath(path);
        } catch (KeeperException.NoNodeException gone) {
          continue;
        }
        chunks.put(name, new Chunk(name, read.getVersion(), decode(dataset, path, data)));
      }
      Stat after = curator.checkExists().forPath(headPath);
      if (after == null || after.getVersion() != headStat.getVersion()) {
        continue; // A change landed while the chunks were read: read a consistent map.
      }
      Cached loaded = Cached.of(seen, headStat.getVersion(), head, chunks);
      check(dataset, loaded);
      cache.merge(dataset, loaded, (old, neu) -> neu.seen() >= old.seen() ? neu : old);
      return loaded;
    }
  }

  /** The shards of a map must tile the key space: no gap, no overlap. */
  private static void check(String dataset, Cached map) {
    String expected = "";
    for (Shard s : map.shards()) {
      if (!s.range().start().equals(expected)) {
        throw new ShardMapException(
            "the shard map of dataset '"
                + dataset
                + "' at "
                + ZkPaths.shards(dataset)
                + " does not tile the key space: shard "
                + s.id()
                + " starts at '"
                + s.range().start()
                + "' where '"
                + expected
                + "' was expected; "
                + RESTORE);
      }
      expected = s.range().end();
      if (expected.isEmpty()) {
        expected = null; // Nothing may follow the last shard.
      }
    }
    if (expected != null) {
      throw new ShardMapException(
          "the shard map of dataset '"
              + dataset
              + "' at "
              + ZkPaths.shards(dataset)
              + " ends at '"
              + expected
              + "', not at the end of the key space; "
              + RESTORE);
    }
  }

  private static final String RESTORE =
      "restore the dataset's node and its chunks from a ZooKeeper backup; Strata has changed"
          + " nothing";

  /** A dataset with no map yet: one shard over everything, in one chunk. */
  private void create(String dataset) throws Exception {
    List<Shard> first = List.of(new Shard(dataset + ":0", dataset, KeyRange.ALL));
    try {
      curator
          .transaction()
          .forOperations(
              curator
                  .transactionOp()
                  .create()
                  .forPath(ZkPaths.shards(dataset), json.writeValueAsBytes(new Head(LAYOUT, 1, 1))),
              curator
                  .transactionOp()
                  .create()
                  .forPath(ZkPaths.shardChunk(dataset, "c0"), encode(dataset, first)));
    } catch (KeeperException.NodeExistsException raced) {
      // Another replica created it first.
    }
  }

  /**
   * Rewrites a layout-1 map (the whole list in the dataset's node) as a head and chunks, in one
   * transaction conditional on the node's version: a replica that migrates at the same time loses
   * and reads the result.
   */
  private void migrate(String dataset) throws Exception {
    String path = ZkPaths.shards(dataset);
    Stat stat = new Stat();
    byte[] data = curator.getData().storingStatIn(stat).forPath(path);
    if (!isLayout1(data)) {
      readHead(dataset, data);
      return;
    }
    List<Shard> shards;
    try {
      shards = new ArrayList<>(json.readValue(data, LAYOUT_1));
    } catch (java.io.IOException e) {
      throw unreadable(dataset, path, e);
    }
    long next = 0;
    for (Shard s : shards) {
      if (!s.dataset().equals(dataset)) {
        throw unreadable(
            dataset, path, new IllegalArgumentException("shard " + s.id() + " is not of it"));
      }
      next = Math.max(next, number(s.id()) + 1);
    }
    shards.sort(Comparator.comparing(s -> s.range().start(), KeyOrder.COMPARATOR));
    List<List<Shard>> pieces = even(shards);
    List<CuratorOp> ops = new ArrayList<>();
    ops.add(
        curator
            .transactionOp()
            .setData()
            .withVersion(stat.getVersion())
            .forPath(path, json.writeValueAsBytes(new Head(LAYOUT, next, pieces.size()))));
    for (int i = 0; i < pieces.size(); i++) {
      ops.add(
          curator
              .transactionOp()
              .create()
              .forPath(ZkPaths.shardChunk(dataset, "c" + i), encode(dataset, pieces.get(i))));
    }
    try {
      curator.transaction().forOperations(ops);
      LOG.info(
          "migrated the shard map of dataset {} ({} shards) to layout {} in {} chunks",
          dataset,
          shards.size(),
          LAYOUT,
          pieces.size());
    } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException raced) {
      // Another replica migrated it first.
    }
    changes(dataset).incrementAndGet();
  }

  private static long number(String id) {
    try {
      return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return -1; // Not a number Strata gave: it cannot collide with one.
    }
  }

  private static boolean isLayout1(byte[] data) {
    for (byte b : data) {
      if (!Character.isWhitespace(b)) {
        return b == '[';
      }
    }
    return false;
  }

  private Head readHead(String dataset, byte[] data) {
    String path = ZkPaths.shards(dataset);
    try {
      Head head = json.readValue(data, Head.class);
      if (head.layout() != LAYOUT) {
        throw new ShardMapException(
            "the shard map of dataset '"
                + dataset
                + "' at "
                + path
                + " has layout "
                + head.layout()
                + ", which this version of Strata cannot read (it reads layouts 1 and "
                + LAYOUT
                + "); run the version that wrote it, or a newer one");
      }
      return head;
    } catch (java.io.IOException e) {
      throw unreadable(dataset, path, e);
    }
  }

  /**
   * The rows as one chunk, or cut into as many runs of near-equal length as keep each within {@link
   * #chunkTargetBytes}.
   */
  private List<List<Shard>> even(List<Shard> rows) throws JsonProcessingException {
    int bytes = json.writeValueAsBytes(rows.stream().map(ShardStore::row).toList()).length;
    int pieces = Math.min(rows.size(), (bytes + chunkTargetBytes - 1) / chunkTargetBytes);
    if (pieces <= 1) {
      return List.of(rows);
    }
    List<List<Shard>> out = new ArrayList<>();
    for (int i = 0; i < pieces; i++) {
      out.add(rows.subList(i * rows.size() / pieces, (i + 1) * rows.size() / pieces));
    }
    return out;
  }

  private static List<String> row(Shard s) {
    return java.util.Arrays.asList(
        s.id(),
        s.range().start(),
        s.range().end(),
        s.placementKey().equals(s.id()) ? null : s.placementKey());
  }

  private byte[] encode(String dataset, List<Shard> shards) throws JsonProcessingException {
    byte[] data = json.writeValueAsBytes(shards.stream().map(ShardStore::row).toList());
    if (data.length > ClusterMapStore.MAX_ZNODE_BYTES) {
      throw new IllegalStateException(
          "a chunk of the shard map of "
              + dataset
              + " would be "
              + data.length
              + " bytes, more than one znode may hold ("
              + ClusterMapStore.MAX_ZNODE_BYTES
              + ")");
    }
    return data;
  }

  private List<Shard> decode(String dataset, String path, byte[] data) {
    try {
      List<Shard> out = new ArrayList<>();
      for (List<String> row : json.readValue(data, ROWS)) {
        if (row.size() != 4 || row.get(0) == null || row.get(1) == null || row.get(2) == null) {
          throw new IllegalArgumentException("a row is not [id, start, end, placementKey]: " + row);
        }
        out.add(new Shard(row.get(0), dataset, new KeyRange(row.get(1), row.get(2)), row.get(3)));
      }
      return out;
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw unreadable(dataset, path, e);
    }
  }

  private static ShardMapException unreadable(String dataset, String path, Exception e) {
    return new ShardMapException(
        "the shard map of dataset '"
            + dataset
            + "' at "
            + path
            + " cannot be read ("
            + e.getMessage()
            + "); "
            + RESTORE);
  }

  /** A dataset's shard map in ZooKeeper that Strata cannot read; the message names its path. */
  public static final class ShardMapException extends IllegalStateException {
    public ShardMapException(String message) {
      super(message);
    }
  }
}
