package io.strata.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.controller.TestZooKeeper;
import io.strata.fleet.reconcile.Shard;
import io.strata.protocol.task.KeyRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShardStoreTest {
  private static final ObjectMapper JSON = Jackson.newObjectMapper();

  private TestZooKeeper zookeeper;
  private final List<ShardStore> stores = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
  }

  @AfterEach
  void stop() throws Exception {
    stores.forEach(ShardStore::stop);
    zookeeper.close();
  }

  private ShardStore replica(CuratorFramework curator) throws Exception {
    ShardStore store = new ShardStore(curator, JSON);
    store.start();
    stores.add(store);
    return store;
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "k%07d", i);
  }

  @Test
  void aSplitKeepsThePlacementOfItsFirstChildAndReKeysTheOthersWithNewIds() throws Exception {
    ShardStore store = replica(zookeeper.client());
    Shard first = store.shards("ds").get(0);
    assertThat(first).isEqualTo(new Shard("ds:0", "ds", KeyRange.ALL));

    List<Shard> halves = store.split(first, "m");

    assertThat(halves)
        .containsExactly(
            new Shard("ds:1", "ds", new KeyRange("", "m"), "ds:0"),
            new Shard("ds:2", "ds", new KeyRange("m", ""), "ds:2"));
    List<Shard> after = store.split(halves.get(1), List.of("p", "t"));
    assertThat(after).extracting(Shard::id).containsExactly("ds:1", "ds:3", "ds:4", "ds:5");
    assertThat(after)
        .extracting(Shard::placementKey)
        .containsExactly("ds:0", "ds:2", "ds:4", "ds:5");
    assertThat(store.split(halves.get(1), "q")).as("a parent split already").isEqualTo(after);
    assertThat(store.split(after.get(1), List.of("q", "p")))
        .as("keys not ascending")
        .isEqualTo(after);
  }

  @Test
  void twoReplicasSplittingTheSameShardAtOnceAgreeOnOneResult() throws Exception {
    ShardStore a = replica(zookeeper.client());
    ShardStore b = replica(zookeeper.client());
    Shard first = a.shards("ds").get(0);
    assertThat(b.shards("ds")).containsExactly(first);

    List<Shard> byA = a.split(first, "g");
    List<Shard> byB = b.split(first, "h"); // B's view is stale: its compare-and-set loses.

    assertThat(byB).isEqualTo(byA);
    assertThat(byA).extracting(s -> s.range().start()).containsExactly("", "g");
  }

  @Test
  void aHundredThousandShardsOfOneDatasetFitInZnodesOfAtMost512KiBAndReachAnotherReplica()
      throws Exception {
    ShardStore leader = replica(zookeeper.client());
    List<Shard> shards = split(leader, "big", 1000);
    assertThat(shards).hasSize(100_000);

    ShardStore follower = replica(zookeeper.client());
    assertThat(follower.shards("big")).isEqualTo(shards);

    Map<String, Integer> sizes = new TreeMap<>();
    walk(zookeeper.client(), ZkPaths.SHARDS, sizes);
    assertThat(sizes).hasSizeGreaterThan(10);
    assertThat(sizes.values()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(512 * 1024));

    // The follower's view follows the leader's next split through its watch.
    Shard last = shards.get(shards.size() - 1);
    List<Shard> split = leader.split(last, key(99_999_9));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(follower.shards("big")).isEqualTo(split));
    assertThat(split).hasSize(100_001);
  }

  /** Splits the dataset's first shard into {@code coarse} and each of those into 100. */
  private static List<Shard> split(ShardStore store, String dataset, int coarse) throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 1; i < coarse; i++) {
      keys.add(key(i * 100));
    }
    List<Shard> shards = store.split(store.shards(dataset).get(0), keys);
    for (Shard s : List.copyOf(shards)) {
      int from = s.range().start().isEmpty() ? 0 : Integer.parseInt(s.range().start().substring(1));
      List<String> fine = new ArrayList<>();
      for (int i = from + 1; i < from + 100; i++) {
        fine.add(key(i));
      }
      shards = store.split(s, fine);
    }
    return shards;
  }

  @Test
  void threadsAskingAtOnceForAMapNotReadYetShareOneRead() throws Exception {
    List<Shard> shards = split(replica(zookeeper.client()), "big", 200);
    ShardStore cold = replica(zookeeper.client());
    int threads = 8;
    CyclicBarrier together = new CyclicBarrier(threads);
    ExecutorService heartbeats = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Shard>>> asked = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        asked.add(
            heartbeats.submit(
                () -> {
                  together.await();
                  return cold.shards("big");
                }));
      }
      List<List<Shard>> got = new ArrayList<>();
      for (Future<List<Shard>> f : asked) {
        got.add(f.get(1, TimeUnit.MINUTES));
      }
      // Each read builds a list of its own: one list for all means one read, where each thread
      // reading alone held eight copies of the map at once.
      assertThat(got).allSatisfy(list -> assertThat(list).isSameAs(got.get(0)));
      assertThat(got.get(0)).isEqualTo(shards).hasSize(20_000);
    } finally {
      heartbeats.shutdownNow();
    }
  }

  private static void walk(CuratorFramework curator, String path, Map<String, Integer> sizes)
      throws Exception {
    Stat stat = curator.checkExists().forPath(path);
    sizes.put(path, stat.getDataLength());
    for (String child : curator.getChildren().forPath(path)) {
      walk(curator, path + "/" + child, sizes);
    }
  }

  @Test
  void aMapInTheFormerOneNodeLayoutIsMigratedOnStartAndKeepsItsIdsUnique() throws Exception {
    CuratorFramework curator = zookeeper.client();
    List<Shard> legacy =
        List.of(
            new Shard("old:3", "old", new KeyRange("", "f")),
            new Shard("old:4", "old", new KeyRange("f", ""), "old:0"));
    curator
        .create()
        .creatingParentsIfNeeded()
        .forPath("/shards/old", JSON.writeValueAsBytes(legacy));

    ShardStore store = replica(curator);

    assertThat(store.shards("old")).isEqualTo(legacy);
    String head = new String(curator.getData().forPath("/shards/old"), StandardCharsets.UTF_8);
    assertThat(head).contains("\"layout\":2");
    assertThat(store.split(legacy.get(1), "k"))
        .extracting(Shard::id)
        .containsExactly("old:3", "old:5", "old:6");
  }

  @Test
  void aMapThatCannotBeReadIsNamedWithItsPathAndLeftAsItIs() throws Exception {
    CuratorFramework curator = zookeeper.client();
    curator.create().creatingParentsIfNeeded().forPath("/shards/broken", "{not json".getBytes());
    curator.create().forPath("/shards/gap", JSON.writeValueAsBytes(new ShardStore.Head(2, 9, 1)));
    curator
        .create()
        .forPath(
            "/shards/gap/c0",
            "[[\"gap:1\",\"\",\"m\",null],[\"gap:2\",\"n\",\"\",null]]".getBytes());

    ShardStore store = replica(curator); // Starts: the other datasets still work.

    assertThatThrownBy(() -> store.shards("broken"))
        .isInstanceOf(ShardStore.ShardMapException.class)
        .hasMessageContaining("/shards/broken")
        .hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> store.shards("gap"))
        .isInstanceOf(ShardStore.ShardMapException.class)
        .hasMessageContaining("/shards/gap")
        .hasMessageContaining("gap:2 starts at 'n' where 'm' was expected");
    assertThat(new String(curator.getData().forPath("/shards/broken"))).isEqualTo("{not json");
    assertThat(store.shards("fine")).hasSize(1);
  }
}
